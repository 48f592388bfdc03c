// Forward and train-step seconds of the ViT presets on a backend (median of a few runs after a warm-up).
// Run: npx tsx packages/vit/scripts/measure.ts [backend] [preset,…] [batch,…]
import * as tf from '@tensorflow/tfjs-core';
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
    try {
      const f = time(forward, reps);
      const s = time(step, reps);
      const flops = model.flops(batch);
      console.log(
        `${preset} batch ${batch}: forward ${f.toFixed(3)} s (${(flops.forward / f / 1e9).toFixed(1)} GFLOP/s), ` +
          `train step ${s.toFixed(3)} s (${(flops.trainStep / s / 1e9).toFixed(1)} GFLOP/s), k = ${(s / f).toFixed(1)}`,
      );
    } catch (error) {
      console.log(`${preset} batch ${batch}: failed: ${(error as Error).message}`);
    }
    x.dispose();
    y.dispose();
  }
  console.log(`${preset}: ${model.parameterCount()} parameters`);
  model.dispose();
}
