// Forward and train-step seconds of the ViT presets on a backend (median of a few runs after a warm-up).
// Run: npx tsx packages/vit/scripts/measure.ts [backend] [preset,…] [batch,…]
import * as tf from '@tensorflow/tfjs-core';
import { computeGradients } from '../../trainer/src/train-step.ts';
import { createViT, selectBackend } from '../src/index.ts';

const [backendArg = 'wasm', presetArg = 'tiny,reference', batchArg = '32,128'] = process.argv.slice(2);
const selection = await selectBackend(backendArg as 'wasm');
console.log(`backend ${selection.name} (${selection.reason})`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const preset of presetArg.split(',')) {
  const model = createViT(preset as 'tiny');
  const [h, w, c] = model.inputShape;
  const optimizer = tf.train.adam(1e-3);
  for (const batch of batchArg.split(',').map(Number)) {
    const x = tf.randomNormal([batch, h, w, c]) as tf.Tensor4D;
    const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10);
    const forward = () => tf.tidy(() => model.apply(x, { training: false }).dataSync());
    const step = () =>
      tf.tidy(() => {
        const cost = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true, seed: 1 })) as tf.Scalar,
          true,
          model.trainableVariables(),
        );
        cost?.dataSync();
      });
    const time = (f: () => void, reps: number) => {
      f();
      const ts: number[] = [];
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        f();
        ts.push((performance.now() - t0) / 1000);
      }
      return median(ts);
    };
    const reps = preset === 'reference' ? 2 : 5;
    // The reference preset at batch 128 exceeds the WASM heap in one pass: micro-batches of 32, gradients summed.
    const micro = preset === 'reference' && batch > 32 ? 32 : batch;
    const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
    const images = x.dataSync() as Float32Array;
    const microStep = () => {
      const r = computeGradients(
        model,
        { images, labels, weights: null, n: batch },
        { microBatch: micro, clipNorm: 1, seed: 1 },
      );
      optimizer.applyGradients(
        Object.fromEntries(model.trainableVariables().map((v, i) => [v.name, r.grads[i]!])),
      );
      tf.dispose(r.grads);
    };
    const forwardChunked = () => {
      for (let s = 0; s < batch; s += micro) {
        tf.tidy(() =>
          model.apply(tf.slice(x, [s], [Math.min(micro, batch - s)]), { training: false }).dataSync(),
        );
      }
    };
    try {
      const f = time(micro < batch ? forwardChunked : forward, reps);
      const s = time(micro < batch ? microStep : step, reps);
      const flops = model.flops(batch);
      console.log(
        `${preset} batch ${batch}: forward ${f.toFixed(3)} s (${(flops.forward / f / 1e9).toFixed(1)} GFLOP/s), ` +
          `train step ${s.toFixed(3)} s (${(flops.trainStep / s / 1e9).toFixed(1)} GFLOP/s), k = ${(s / f).toFixed(1)}` +
          (micro < batch ? ` [micro-batches of ${micro}]` : ''),
      );
    } catch (error) {
      console.log(`${preset} batch ${batch}: failed: ${(error as Error).message}`);
    }
    x.dispose();
    y.dispose();
  }
  console.log(
    `${preset}: ${model.parameterCount()} parameters; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
  model.dispose();
}
