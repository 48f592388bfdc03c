// What the default scorer's guard decided, and when, in one committed regime run:
// retrain the run from the config its metrics.json recorded, and print each fit of
// the guard (losses observed, Ashman's D of the class-relative mixture, noise found, and
// whether the fit vouches for the labels: below `clearBelow`, the stale-loss percentile).
//
//   npx tsx bench/guard-trace.ts docs/results/selection-regimes/noise-20/budget-24000-passes/seed-4/ast

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { runTraining, trainConfigSchema } from '@sundew/cli';
import { NoiseAwareScorer } from '@sundew/significance';

const dir = process.argv[2];
if (!dir) throw new Error('usage: guard-trace.ts <run dir of an AST run>');
const raw = existsSync(`${dir}/metrics.json`)
  ? await readFile(`${dir}/metrics.json`, 'utf8')
  : gunzipSync(await readFile(`${dir}/metrics.json.gz`)).toString();
const metrics = JSON.parse(raw);
const { modelName: _m, parameters: _p, regime: _r, dataset: _d, out: _o, ...config } = metrics.run.config;
const fits: { observed: number; d: number | null; noisy: boolean; vouched: boolean }[] = [];
const observe = NoiseAwareScorer.prototype.observe;
NoiseAwareScorer.prototype.observe = function (this: NoiseAwareScorer, indices, losses) {
  const before = this.lastMixture;
  observe.call(this, indices, losses);
  const state = this.state();
  if (this.lastMixture !== before)
    fits.push({
      observed: state.observed,
      d: this.lastMixture?.separation ?? null,
      noisy: this.foundNoise,
      vouched: this.labelsVouched,
    });
};
const outcome = await runTraining(
  trainConfigSchema.parse({ ...config, out: '/tmp/guard-trace', progress: 'none' }),
  {
    out: () => {},
    err: () => {},
  },
);
const last = metrics.epochs.at(-1);
console.log(
  JSON.stringify({
    dir,
    committed: last.valAccuracy,
    now: outcome.metrics?.epochs.at(-1)?.valAccuracy ?? null,
    fits,
  }),
);
