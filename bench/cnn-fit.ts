// `model.fit` of a small tf.sequential CNN on tfjs-backend-wasm with
// @sundew/kernels' gradient kernels, against the pure-JS cpu backend: one
// fit call on one batch of 64, the two backends interleaved in one run, and
// a tf.profile of the wasm step by kernel.
//   npm run build -w @sundew/kernels && npx tsx bench/cnn-fit.ts [--reps 7]
import '@tensorflow/tfjs-backend-wasm';
import { registerSundewKernels } from '@sundew/kernels';
import * as tf from '@tensorflow/tfjs';
import { arg, median } from './lib.js';

const reps = Number(arg('reps', '7'));
const batch = 64;
tf.env().set('PROD', true);
registerSundewKernels();

/** conv2d 8 3×3 → maxPool → conv2d 16 3×3 → maxPool → flatten → dense 10, on 28×28×1. */
function cnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

interface Setup {
  backend: string;
  model: tf.Sequential;
  x: tf.Tensor;
  y: tf.Tensor;
}

// The same weights and data on each backend, made while that backend is active (no data moves in the timed part).
await tf.setBackend('cpu');
const weights = cnn()
  .getWeights()
  .map((w) => ({ values: w.dataSync().slice(), shape: w.shape }));
const xValues = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 1).dataSync().slice();
const labels = Array.from({ length: batch }, (_, i) => (i * 7) % 10);
const setups: Setup[] = [];
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend);
  const model = cnn();
  model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(xValues, [batch, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  setups.push({ backend, model, x, y });
}

async function step(s: Setup): Promise<number> {
  await tf.setBackend(s.backend);
  const t0 = performance.now();
  const h = await s.model.fit(s.x, s.y, { batchSize: batch, epochs: 1, verbose: 0, shuffle: false });
  const seconds = (performance.now() - t0) / 1000;
  if (!Number.isFinite(h.history['loss']![0] as number)) throw new Error(`${s.backend}: loss is not finite`);
  return seconds;
}

for (const s of setups) await step(s); // warm-up
const times: Record<string, number[]> = { wasm: [], cpu: [] };
for (let r = 0; r < reps; r++) for (const s of setups) times[s.backend]!.push(await step(s));
const [wasm, cpu] = [median(times['wasm']!), median(times['cpu']!)];
console.log(`CNN model.fit step, batch ${batch}, median of ${reps} interleaved:`);
console.log(
  `  wasm + @sundew/kernels: ${(wasm * 1000).toFixed(1)} ms   [${times['wasm']!.map((t) => (t * 1000).toFixed(1))}]`,
);
console.log(
  `  cpu:                    ${(cpu * 1000).toFixed(1)} ms   [${times['cpu']!.map((t) => (t * 1000).toFixed(1))}]`,
);
console.log(`  wasm is ${(cpu / wasm).toFixed(1)}× faster`);

// Where the wasm step's time goes, by kernel (summed over `reps` profiled steps, reported per step).
const wasmSetup = setups[0]!;
await tf.setBackend('wasm');
const profile = await tf.profile(async () => {
  for (let r = 0; r < reps; r++) {
    await wasmSetup.model.fit(wasmSetup.x, wasmSetup.y, {
      batchSize: batch,
      epochs: 1,
      verbose: 0,
      shuffle: false,
    });
  }
});
const byKernel = new Map<string, number>();
for (const k of profile.kernels) {
  byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number) / reps);
}
const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
console.log(
  `tf.profile of the wasm step (mean of ${reps}): ${total.toFixed(1)} ms in ${profile.kernels.length / reps} kernel calls; top kernels:`,
);
for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
  console.log(
    `  ${name.padEnd(28)} ${ms.toFixed(2).padStart(7)} ms  ${((100 * ms) / total).toFixed(0).padStart(3)} %`,
  );
}
for (const s of setups) {
  await tf.setBackend(s.backend);
  tf.dispose([s.x, s.y]);
  s.model.dispose();
}
