// Sundew's benchmark harness (issue 7): everything it compares is measured in
// this one run, on this machine. Writes bench/results/bench.json and prints the
// tables. Run: npm run bench  [-- --quick]

import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { loadFashionMnist } from '@sundew/data';
import { SundewGate } from '@sundew/gate';
import { createScorer } from '@sundew/significance';
import { computeGradients, train } from '@sundew/trainer';
import type { RunMetrics } from '@sundew/types';
import { createViT, selectBackend, type VisionTransformer } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';

const quick = process.argv.includes('--quick');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => void, reps: number): number => {
  f();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
};

/** Plain 2-D matmul throughput: the backend's practical peak for our shapes. */
function matmulPeak(): number {
  let best = 0;
  for (const n of [256, 512, 1024]) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    const s = time(() => tf.tidy(() => void tf.matMul(a, b).dataSync()), 5);
    best = Math.max(best, (2 * n ** 3) / s / 1e9);
    tf.dispose([a, b]);
  }
  return best;
}

interface StepRow {
  backend: string;
  preset: string;
  batch: number;
  microBatch: number;
  forwardSeconds: number;
  trainStepSeconds: number;
  trainGflops: number;
  shareOfPeak: number;
  k: number;
}

/** Forward and train step (forward + backward + AdamW-free gradient; the optimizer is negligible). */
function stepThroughput(backend: string, preset: 'tiny' | 'reference', batch: number, peak: number): StepRow {
  const model = createViT(preset);
  const [h, w, c] = model.inputShape;
  const micro = preset === 'reference' && batch > 32 ? 32 : batch;
  const images = Float32Array.from({ length: batch * h * w * c }, (_, i) => Math.sin(i));
  const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
  const reps = preset === 'reference' ? 2 : 5;
  const forward = time(() => {
    for (let s = 0; s < batch; s += micro) {
      tf.tidy(() => {
        const m = Math.min(micro, batch - s);
        model
          .apply(tf.tensor4d(images.subarray(s * h * w * c, (s + m) * h * w * c), [m, h, w, c]), {
            training: false,
          })
          .dataSync();
      });
    }
  }, reps);
  const step = time(() => {
    const r = computeGradients(
      model,
      { images, labels, weights: null, n: batch },
      { microBatch: micro, clipNorm: 1, seed: 1 },
    );
    tf.dispose(r.grads);
  }, reps);
  const flops = model.flops(batch);
  model.dispose();
  const gflops = flops.trainStep / step / 1e9;
  return {
    backend,
    preset,
    batch,
    microBatch: micro,
    forwardSeconds: forward,
    trainStepSeconds: step,
    trainGflops: gflops,
    shareOfPeak: gflops / peak,
    k: step / forward,
  };
}

interface MethodRow {
  method: string;
  /** The gate's target (null for full training). */
  target?: number;
  rate: number | null;
  epochSeconds: number;
  speedup: number | null;
  bound: number | null;
  shareOfBound: number | null;
  valAccuracy: number | null;
}

async function methodSpeed(k: number): Promise<MethodRow[]> {
  const trainSet = await loadFashionMnist({ split: 'train', source: 'bundled' });
  const testSet = await loadFashionMnist({ split: 'test', source: 'bundled' });
  const model: VisionTransformer = createViT('tiny');
  const initial = model.getWeights();
  const run = async (
    opts: Parameters<typeof train>[0] extends infer O ? Partial<O> : never,
  ): Promise<RunMetrics> => {
    model.setWeights(initial);
    const { metrics } = await train({
      model,
      train: trainSet,
      validation: testSet,
      epochs: 1,
      lr: 1e-3,
      seed: 0,
      ...opts,
    } as never);
    return metrics;
  };
  const seconds = (m: RunMetrics) => m.epochs[0]!.epochSeconds;
  const perEpoch = Math.ceil(trainSet.count / 128);
  const full = await run({ mode: 'full' });
  const fullSeconds = seconds(full);
  const rows: MethodRow[] = [
    {
      method: 'full',
      rate: 1,
      epochSeconds: fullSeconds,
      speedup: 1,
      bound: 1,
      shareOfBound: 1,
      valAccuracy: full.epochs[0]!.valAccuracy,
    },
  ];
  const sampleBatches = 2;
  const sample = await run({
    mode: 'sample',
    maxBatchesPerEpoch: sampleBatches,
    scorer: createScorer('batch-relative'),
    gate: new SundewGate({ targetActivationRate: 0.1 }),
  });
  const sampleEpoch = (seconds(sample) / sampleBatches) * perEpoch;
  rows.push({
    method: `sample (extrapolated from ${sampleBatches} of ${perEpoch} batches)`,
    rate: 0.1,
    epochSeconds: sampleEpoch,
    speedup: fullSeconds / sampleEpoch,
    bound: null,
    shareOfBound: null,
    valAccuracy: null,
  });
  for (const rate of quick ? [0.1] : [0.06, 0.1, 0.25]) {
    for (const [method, scorer] of [
      ['sparse, fresh forward (batch-relative)', 'batch-relative'],
      ['sparse, stale losses (stale-loss-percentile)', 'stale-loss-percentile'],
    ] as const) {
      const m = await run({
        mode: 'sparse',
        scorer: createScorer(scorer, { datasetSize: trainSet.count }),
        gate: new SundewGate({ targetActivationRate: rate, seed: 0 }),
      });
      const s = seconds(m);
      const r = m.epochs[0]!.activationRate;
      const bound = scorer === 'batch-relative' ? k / (1 + k * r) : 1 / r;
      rows.push({
        method,
        rate: r,
        epochSeconds: s,
        speedup: fullSeconds / s,
        bound,
        shareOfBound: fullSeconds / s / bound,
        valAccuracy: m.epochs[0]!.valAccuracy,
      });
    }
  }
  model.dispose();
  return rows;
}

interface AccuracyRow {
  method: string;
  /** Training seconds (validation excluded) at the first epoch end at or above the target; null if not reached. */
  seconds: number | null;
  epochs: number;
  finalAccuracy: number | null;
}

/**
 * Seconds of training for full, AST (the default recipe) and the random control
 * to reach a validation accuracy, checked at epoch ends, each capped by a budget.
 */
async function timeToAccuracy(target: number, budget: number): Promise<AccuracyRow[]> {
  const trainSet = await loadFashionMnist({ split: 'train', source: 'bundled' });
  const testSet = await loadFashionMnist({ split: 'test', source: 'bundled' });
  const model = createViT('tiny');
  const initial = model.getWeights();
  const rows: AccuracyRow[] = [];
  const variants: [string, Record<string, unknown>][] = [
    ['full', { mode: 'full' }],
    ['AST (batch-relative, per-batch steps)', { mode: 'sparse', scorer: createScorer('batch-relative') }],
    ['random control (per-batch steps)', { mode: 'sparse', scorer: createScorer('random') }],
  ];
  for (const [method, opts] of variants) {
    model.setWeights(initial);
    const { metrics } = await train({
      model,
      train: trainSet,
      validation: testSet,
      epochs: 1000,
      lr: 1e-3,
      seed: 0,
      budgetSeconds: budget,
      gate: new SundewGate({ targetActivationRate: 0.1, seed: 0 }),
      ...opts,
    } as never);
    const hit = metrics.epochs.find((e) => (e.valAccuracy ?? 0) >= target);
    rows.push({
      method,
      seconds: hit ? hit.elapsedSeconds : null,
      epochs: metrics.epochs.length,
      finalAccuracy: metrics.epochs.at(-1)?.valAccuracy ?? null,
    });
  }
  model.dispose();
  return rows;
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const fx = (x: number | null, d = 2) => (x === null ? '–' : x.toFixed(d));

const started = performance.now();
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, platform: process.platform },
};
const steps: StepRow[] = [];
const peaks: Record<string, number> = {};
for (const backend of ['wasm', 'cpu'] as const) {
  await selectBackend(backend);
  peaks[backend] = matmulPeak();
  for (const preset of ['tiny', 'reference'] as const) {
    if (backend === 'cpu' && preset === 'reference') continue; // minutes per step on pure JS
    for (const batch of quick ? [128] : [32, 128])
      steps.push(stepThroughput(backend, preset, batch, peaks[backend]!));
  }
}
console.log('\nStep throughput (train step = forward + backward incl. gradients of every variable)');
console.log('backend  preset     batch  forward s  train s  train GFLOP/s  of matmul peak  k');
for (const r of steps) {
  console.log(
    `${r.backend.padEnd(8)} ${r.preset.padEnd(10)} ${String(r.batch).padStart(5)}${r.microBatch < r.batch ? '*' : ' '} ${fx(r.forwardSeconds, 3).padStart(9)} ${fx(r.trainStepSeconds, 3).padStart(8)} ${fx(r.trainGflops).padStart(14)} ${pct(r.shareOfPeak).padStart(15)} ${fx(r.k, 1).padStart(4)}`,
  );
}
console.log(
  `matmul peak measured in this run: ${Object.entries(peaks)
    .map(([b, g]) => `${b} ${g.toFixed(1)} GFLOP/s`)
    .join(', ')}; * = micro-batches of 32`,
);
results['matmulPeakGflops'] = peaks;
results['steps'] = steps;

await selectBackend('wasm');
const kTiny = steps.find((r) => r.backend === 'wasm' && r.preset === 'tiny' && r.batch === 128)!.k;
const methods = await methodSpeed(kTiny);
console.log(
  `\nMethod speed: one epoch of the bundled Fashion-MNIST (6,000 images), tiny ViT, WASM; k = ${kTiny.toFixed(2)} measured above`,
);
console.log(
  'method                                          rate    s/epoch  speed-up  bound   of bound  val acc',
);
for (const r of methods) {
  console.log(
    `${r.method.padEnd(47)} ${pct(r.rate).padStart(6)} ${fx(r.epochSeconds, 1).padStart(8)} ${fx(r.speedup).padStart(9)} ${fx(r.bound).padStart(6)} ${pct(r.shareOfBound).padStart(9)} ${pct(r.valAccuracy).padStart(8)}`,
  );
}
console.log('bounds: fresh scoring forward k/(1 + k·r); stale losses 1/r');
results['methods'] = methods;

const target = 0.7;
const budget = quick ? 30 : 60;
const accuracy = await timeToAccuracy(target, budget);
console.log(
  `\nTime to ${pct(target)} validation accuracy (bundled data, tiny ViT, target rate 10 %, checked at epoch ends, cosine schedule over a ${budget} s budget)`,
);
console.log('method                                   seconds  epochs run  final acc');
for (const r of accuracy) {
  console.log(
    `${r.method.padEnd(40)} ${(r.seconds === null ? `> ${budget}` : r.seconds.toFixed(1)).padStart(7)} ${String(r.epochs).padStart(11)} ${pct(r.finalAccuracy).padStart(10)}`,
  );
}
results['timeToAccuracy'] = { target, budgetSeconds: budget, rows: accuracy };
results['seconds'] = (performance.now() - started) / 1000;
await writeFile(new URL('./results/bench.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s; wrote bench/results/bench.json`,
);
