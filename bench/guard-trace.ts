// What the default scorer's guard decided, and when, in one committed regime run:
// retrain the run from the config its metrics.json recorded, and print each fit of
// the guard (losses observed, Ashman's D of the class-relative mixture, noise found, and
// whether the fit vouches for the labels: below `clearBelow`, the stale-loss percentile).
//
//   npx tsx bench/guard-trace.ts docs/results/selection-regimes/noise-20/budget-24000-passes/seed-4/ast

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTraining, trainConfigSchema } from '@sundew/cli';
import { readRunMetrics } from '@sundew/metrics';
import { NoiseAwareScorer } from '@sundew/significance';

const dir = process.argv[2];
if (!dir) throw new Error('usage: guard-trace.ts <run dir of an AST run>');
// A packed run keeps metrics.json.gz; readRunMetrics reads either.
const file = [join(dir, 'metrics.json'), join(dir, 'metrics.json.gz')].find((f) => existsSync(f));
if (!file) throw new Error(`${dir}: no metrics.json or metrics.json.gz`);
const metrics = await readRunMetrics(file);
const { modelName: _m, parameters: _p, regime: _r, dataset: _d, out: _o, ...config } = metrics.run.config;
const fits: { observed: number; d: number | null; noisy: boolean; vouched: boolean }[] = [];
const observe = NoiseAwareScorer.prototype.observe;
NoiseAwareScorer.prototype.observe = function (this: NoiseAwareScorer, indices, losses) {
  const before = this.lastMixture;
  observe.call(this, indices, losses);
  // A fit happened (state() serializes the loss cache: only then).
  if (this.lastMixture !== before)
    fits.push({
      observed: this.state().observed,
      d: this.lastMixture?.separation ?? null,
      noisy: this.foundNoise,
      vouched: this.labelsVouched,
    });
};
// A folder of its own: traces may run side by side.
const scratch = await mkdtemp(join(tmpdir(), 'guard-trace-'));
const outcome = await runTraining(trainConfigSchema.parse({ ...config, out: scratch, progress: 'none' }), {
  out: () => {},
  err: () => {},
}).finally(() => rm(scratch, { recursive: true, force: true }));
const last = metrics.epochs.at(-1)!;
console.log(
  JSON.stringify({
    dir,
    committed: last.valAccuracy,
    now: outcome.metrics?.epochs.at(-1)?.valAccuracy ?? null,
    fits,
  }),
);
