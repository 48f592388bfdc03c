// Child of bench.ts: one epoch of the bundled Fashion-MNIST per method, tiny
// ViT, same initial weights, on one backend configuration. Speed-ups are
// ratios of epochs timed here; the cost-model bounds use k measured here too
// (full training's step seconds / the fresh scorer's forward seconds, over the
// same 47 batches).
// Run alone: npx tsx bench/method-speed.ts --threads 1 [--quick]
import { loadFashionMnist } from '@sundew/data';
import { SundewGate } from '@sundew/gate';
import { createScorer } from '@sundew/significance';
import { type TrainOptions, train } from '@sundew/trainer';
import type { EpochRecord } from '@sundew/types';
import { createViT, selectBackend } from '@sundew/vit';
import { arg, emit } from './lib.js';

/** One row of the method table. */
export interface MethodRow {
  method: string;
  /** The gate's target (absent for full training). */
  target?: number;
  rate: number | null;
  epochSeconds: number;
  speedup: number | null;
  bound: number | null;
  shareOfBound: number | null;
  valAccuracy: number | null;
  /** Scorer + gate + gathering + recording, as a share of the training (step) seconds. */
  overheadShare: number | null;
  phaseSeconds: EpochRecord['phaseSeconds'] | null;
}

/** What the script reports. */
export interface MethodResult {
  threads: number;
  /** Train step / forward at batch 128, from this run's epochs. */
  k: number;
  rows: MethodRow[];
}

const quick = process.argv.includes('--quick');
const selection = await selectBackend('wasm', { threads: Number(arg('threads', '1')) });
const trainSet = await loadFashionMnist({ split: 'train', source: 'bundled' });
const testSet = await loadFashionMnist({ split: 'test', source: 'bundled' });
const model = createViT('tiny');
const initial = model.getWeights();
const perEpoch = Math.ceil(trainSet.count / 128);

async function epoch(opts: Partial<TrainOptions>): Promise<EpochRecord> {
  model.setWeights(initial);
  const { metrics } = await train({
    model,
    train: trainSet,
    validation: testSet,
    epochs: 1,
    lr: 1e-3,
    seed: 0,
    ...opts,
  });
  return metrics.epochs[0]!;
}

const overhead = (e: EpochRecord): number | null =>
  e.phaseSeconds ? (e.phaseSeconds.selection + e.phaseSeconds.bookkeeping) / e.phaseSeconds.training : null;

const full = await epoch({ mode: 'full' });
console.error(`  full: ${full.epochSeconds.toFixed(1)} s`);
const sparse: { target: number; kind: 'fresh' | 'stale'; e: EpochRecord }[] = [];
for (const target of quick ? [0.1] : [0.06, 0.1, 0.25]) {
  for (const kind of ['fresh', 'stale'] as const) {
    const e = await epoch({
      mode: 'sparse',
      scorer: createScorer(kind === 'fresh' ? 'batch-relative' : 'stale-loss-percentile', {
        datasetSize: trainSet.count,
      }),
      gate: new SundewGate({ targetActivationRate: target, seed: 0 }),
    });
    sparse.push({ target, kind, e });
    console.error(`  sparse ${kind} at ${target}: ${e.epochSeconds.toFixed(1)} s`);
  }
}
const sampleBatches = 2;
const sample = await epoch({
  mode: 'sample',
  maxBatchesPerEpoch: sampleBatches,
  scorer: createScorer('batch-relative'),
  gate: new SundewGate({ targetActivationRate: 0.1 }),
});
// k from this run: full training's step seconds over its 47 batches / the fresh scorer's forward seconds over the same batches.
const freshScoring = sparse.find((s) => s.kind === 'fresh')!.e.phaseSeconds!.scoring;
const k = full.phaseSeconds!.training / freshScoring;

const rows: MethodRow[] = [
  {
    method: 'full',
    rate: 1,
    epochSeconds: full.epochSeconds,
    speedup: 1,
    bound: 1,
    shareOfBound: 1,
    valAccuracy: full.valAccuracy,
    overheadShare: overhead(full),
    phaseSeconds: full.phaseSeconds ?? null,
  },
];
const sampleEpoch = (sample.epochSeconds / sampleBatches) * perEpoch;
rows.push({
  method: `sample (extrapolated from ${sampleBatches} of ${perEpoch} batches)`,
  target: 0.1,
  rate: sample.activationRate,
  epochSeconds: sampleEpoch,
  speedup: full.epochSeconds / sampleEpoch,
  bound: null,
  shareOfBound: null,
  valAccuracy: null,
  overheadShare: overhead(sample),
  phaseSeconds: sample.phaseSeconds ?? null,
});
for (const { target, kind, e } of sparse) {
  const r = e.activationRate;
  const bound = kind === 'fresh' ? k / (1 + k * r) : 1 / r;
  const speedup = full.epochSeconds / e.epochSeconds;
  rows.push({
    method:
      kind === 'fresh'
        ? 'sparse, fresh forward (batch-relative)'
        : 'sparse, stale losses (stale-loss-percentile)',
    target,
    rate: r,
    epochSeconds: e.epochSeconds,
    speedup,
    bound,
    shareOfBound: speedup / bound,
    valAccuracy: e.valAccuracy,
    overheadShare: overhead(e),
    phaseSeconds: e.phaseSeconds ?? null,
  });
}
model.dispose();
emit({ threads: selection.threads, k, rows } satisfies MethodResult);
process.exit(0);
