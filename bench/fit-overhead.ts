// Where fitSparse full mode spends its time beside model.fit: the CNN of
// examples/layers-model on the same Fashion-MNIST subset, tfjs-backend-wasm
// with @sundew/kernels' gradient kernels. First one epoch of each under
// tf.profile (kernels per batch by name, readbacks per batch), then epochs
// timed interleaved (the order turns each round): model.fit on tensors,
// fitSparse full on `imageSamples` (bytes normalised per batch, as the example
// runs it) and fitSparse full on the very tensors model.fit gets.
//   npm run build && npx tsx bench/fit-overhead.ts [--rounds 8] [--epochs 1] [--limit 6000]
// `--only fit|full|tensors` runs one contender `--rounds` times (for node --cpu-prof).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { allSamples, imageSamples, limitDataset, loadFashionMnist } from '@sundew/data';
import { registerWasmGradientKernels } from '@sundew/kernels';
import { fitSparse } from '@sundew/trainer';
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
// The example's CNN (examples/layers-model): the model whose epoch time the target is about.
import { cnn } from '../examples/layers-model/src/models.js';
import { arg, median } from './lib.js';

const rounds = Number(arg('rounds', '8'));
const limit = Number(arg('limit', '6000'));
const epochs = Number(arg('epochs', '1'));
const only = arg('only', '');
const batchSize = 128;
const require = createRequire(import.meta.url);
wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
await tf.setBackend('wasm');
registerWasmGradientKernels();

const train = imageSamples(
  limitDataset(await loadFashionMnist({ split: 'train', source: 'bundled' }), limit, 1),
);
const all = allSamples(train);
const x = tf.tensor(all.x, [all.size, ...all.xShape]);
const y = tf.tensor1d(Float32Array.from(all.y));

// Readbacks: every dataSync / data / arraySync / array call on any tensor.
let reads = 0;
const proto = tf.Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const name of ['dataSync', 'data', 'arraySync', 'array']) {
  const original = proto[name]!;
  proto[name] = function (this: unknown, ...a: unknown[]) {
    reads++;
    return original.apply(this, a);
  };
}

type Who = 'model.fit' | 'fitSparse full' | 'fitSparse full, tensors';
const everyone: Who[] = ['model.fit', 'fitSparse full', 'fitSparse full, tensors'];
const full = {
  loss: 'sparseCategoricalCrossentropy',
  batchSize,
  seed: 1,
  epochs,
  shuffle: false,
  sparse: false,
} as const;

async function once(who: Who): Promise<void> {
  const model = cnn(1);
  if (who === 'model.fit') {
    model.compile({ optimizer: tf.train.adam(2e-3), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs, batchSize, shuffle: false, verbose: 0 });
  } else if (who === 'fitSparse full') {
    await fitSparse(model, train, undefined, { ...full, optimizer: tf.train.adam(2e-3) });
  } else {
    await fitSparse(model, x, y, { ...full, optimizer: tf.train.adam(2e-3) });
  }
  model.dispose();
}

const byName: Record<string, Who> = {
  fit: 'model.fit',
  full: 'fitSparse full',
  tensors: 'fitSparse full, tensors',
};
if (only) {
  for (let r = 0; r < rounds; r++) await once(byName[only]!);
  process.exit(0);
}

const batches = Math.ceil(all.size / batchSize) * epochs;
for (const who of everyone) await once(who); // warm-up
for (const who of everyone) {
  reads = 0;
  const p = await tf.profile(() => once(who));
  const byKernel = new Map<string, { n: number; ms: number }>();
  for (const k of p.kernels) {
    const e = byKernel.get(k.name) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byKernel.set(k.name, e);
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b.ms, 0);
  console.log(
    `${who}: ${(p.kernels.length / batches).toFixed(1)} kernels/batch, ${(total / batches).toFixed(2)} kernel ms/batch, ` +
      `${(reads / batches).toFixed(2)} readbacks/batch`,
  );
  const top = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  console.log(`   ${top.map(([name, e]) => `${name} ${(e.n / batches).toFixed(1)}×`).join(', ')}`);
}

const seconds: Record<Who, number[]> = {
  'model.fit': [],
  'fitSparse full': [],
  'fitSparse full, tensors': [],
};
for (let r = 0; r < rounds; r++) {
  for (const who of r % 2 === 0 ? everyone : [...everyone].reverse()) {
    const t0 = performance.now();
    await once(who);
    seconds[who].push((performance.now() - t0) / 1000);
  }
}
for (const who of everyone) {
  console.log(`${who.padEnd(24)} s: ${seconds[who].map((s) => s.toFixed(3)).join(', ')}`);
}
for (const who of everyone.slice(1)) {
  const ratios = seconds[who].map((s, r) => s / seconds['model.fit'][r]!);
  console.log(
    `${who} / model.fit per round: ${ratios.map((v) => v.toFixed(3)).join(', ')} (median ${median(ratios).toFixed(3)}×)`,
  );
}
tf.dispose([x, y]);
