// Child of bench.ts: forward and train-step throughput of both ViT presets on
// one backend configuration, beside that configuration's matmul peak.
// Run alone: npx tsx bench/step-throughput.ts --backend wasm --threads 2 [--quick]
import { classifierLossModel, computeGradients } from '@sundew/trainer';
import { createViT, selectBackend } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';
import { arg, emit, matmulPeak, time } from './lib.js';

/** One row of the step table. */
export interface StepRow {
  backend: string;
  threads: number;
  preset: string;
  batch: number;
  microBatch: number;
  forwardSeconds: number;
  trainStepSeconds: number;
  trainGflops: number;
  shareOfPeak: number;
  k: number;
  rssMiB: number;
}

/** What the script reports. */
export interface StepResult {
  backend: string;
  threads: number;
  peakGflops: number;
  rows: StepRow[];
}

const quick = process.argv.includes('--quick');
const backendArg = arg('backend', 'wasm') as 'wasm' | 'cpu';
const selection = await selectBackend(backendArg, { threads: Number(arg('threads', '1')) });
const peak = matmulPeak();
console.error(`  ${selection.name}, ${selection.threads} thread(s): matmul peak ${peak.toFixed(1)} GFLOP/s`);
const rows: StepRow[] = [];
for (const preset of ['tiny', 'reference'] as const) {
  if (selection.name === 'cpu' && preset === 'reference') continue; // minutes per step on pure JS
  for (const batch of quick ? [128] : [32, 128]) {
    const model = createViT(preset);
    const [h, w, c] = model.inputShape;
    // The reference ViT at batch 128 does not fit the WASM heap in one pass.
    const micro = preset === 'reference' && batch > 32 ? 32 : batch;
    const images = Float32Array.from({ length: batch * h * w * c }, (_, i) => Math.sin(i));
    const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
    const reps = preset === 'reference' ? 2 : 7;
    const forward = time(() => {
      for (let s = 0; s < batch; s += micro) {
        const m = Math.min(micro, batch - s);
        tf.tidy(() => {
          const x = tf.tensor4d(images.subarray(s * h * w * c, (s + m) * h * w * c), [m, h, w, c]);
          model.apply(x, { training: false }).dataSync();
        });
      }
    }, reps);
    const step = time(() => {
      const r = computeGradients(
        classifierLossModel(model),
        { x: images, xShape: [h, w, c], y: labels, yShape: [], weights: null, n: batch },
        { microBatch: micro, clipNorm: 1, seed: 1 },
      );
      tf.dispose(r.grads);
    }, reps);
    const gflops = model.flops(batch).trainStep / step / 1e9;
    model.dispose();
    rows.push({
      backend: selection.name,
      threads: selection.threads,
      preset,
      batch,
      microBatch: micro,
      forwardSeconds: forward,
      trainStepSeconds: step,
      trainGflops: gflops,
      shareOfPeak: gflops / peak,
      k: step / forward,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
    });
    console.error(`  ${preset} ${batch}: forward ${forward.toFixed(3)} s, train step ${step.toFixed(3)} s`);
  }
}
emit({ backend: selection.name, threads: selection.threads, peakGflops: peak, rows } satisfies StepResult);
process.exit(0);
