// Custom parts through the public interfaces: a fixed top-k gate and a small
// MLP of our own, trained by @sundew/trainer on the bundled Fashion-MNIST.
// Run: npx tsx examples/custom-parts/src/main.ts
import { loadFashionMnist } from '@sundew/data';
import { createScorer } from '@sundew/significance';
import { train } from '@sundew/trainer';
import { selectBackend } from '@sundew/vit';
import { FixedTopKGate } from './fixed-top-k-gate.js';
import { SmallMlp } from './small-mlp.js';

await selectBackend('auto');
const trainSet = await loadFashionMnist({ split: 'train', source: 'bundled' });
const testSet = await loadFashionMnist({ split: 'test', source: 'bundled' });
const { metrics } = await train({
  model: new SmallMlp([28, 28, 1], 10),
  train: trainSet,
  validation: testSet,
  scorer: createScorer('loss-entropy'),
  gate: new FixedTopKGate(32), // 32 of every 128
  epochs: 3,
  lr: 1e-3,
  onEpochEnd: (e) =>
    console.log(
      `epoch ${e.epoch + 1}: val acc ${(100 * (e.valAccuracy ?? 0)).toFixed(1)}%, active ${(100 * e.activationRate).toFixed(1)}%`,
    ),
});
console.log(
  `trained on ${metrics.epochs.reduce((s, e) => s + e.samplesProcessed, 0)} of ${3 * trainSet.count} samples seen`,
);
