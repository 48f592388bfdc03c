// A tf.LayersModel trained with fitSparse beside model.fit, timed side by side
// and interleaved in one process: an MLP on generated tabular data (WASM) and a
// tf.sequential CNN on the bundled Fashion-MNIST subset (cpu until
// @sundew/kernels registers WASM gradient kernels for convolutions).
//
// Run: npm start -w @sundew/example-layers-model -- --task tabular
import { imageSamples, limitDataset, loadFashionMnist, tensorDataset } from '@sundew/data';
import type { SampleDataset } from '@sundew/types';
import type * as tf from '@tensorflow/tfjs';
import { Command, InvalidArgumentError } from 'commander';
import { chooseBackend } from './backend.js';
import { cnn, mlp } from './models.js';
import { type RunResult, race } from './race.js';
import { tabularData } from './tabular-data.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expects a positive integer.');
  return n;
};

const cli = new Command('layers-model')
  .description('fitSparse (AST, random control, full) beside model.fit on the same tf.LayersModel')
  .option(
    '--task <name>',
    'tabular (an MLP on generated data) or fashion-cnn (a CNN on Fashion-MNIST)',
    'tabular',
  )
  .option('--epochs <n>', 'epochs of model.fit and of fitSparse full mode', int)
  .option('--rounds <n>', 'interleaved rounds of every contender', int, 5)
  .option('--batch-size <n>', 'batch size', int, 128)
  .option('--target-rate <r>', 'AST and random-control activation rate', Number, 0.3)
  .option('--lr <x>', 'Adam learning rate', Number, 2e-3)
  .option('--limit-train <n>', 'training samples (fashion-cnn: of the 6,000 bundled)', int)
  .option('--seed <n>', 'seed of the data, the initial weights and every random choice', int, 1)
  .option('--backend <name>', 'auto, wasm or cpu', 'auto')
  .parse();
const o = cli.opts<{
  task: string;
  epochs?: number;
  rounds: number;
  batchSize: number;
  targetRate: number;
  lr: number;
  limitTrain?: number;
  seed: number;
  backend: string;
}>();
if (o.task !== 'tabular' && o.task !== 'fashion-cnn')
  cli.error(`--task must be tabular or fashion-cnn; received ${o.task}`);

const backend = await chooseBackend(o.backend, o.task === 'fashion-cnn');
let train: SampleDataset;
let test: SampleDataset;
let build: () => tf.LayersModel;
if (o.task === 'tabular') {
  const trainData = tabularData(o.limitTrain ?? 8000, o.seed);
  const testData = tabularData(4000, o.seed + 1000);
  train = tensorDataset(trainData.x, trainData.y, { name: 'tabular/train' });
  test = tensorDataset(testData.x, testData.y, { name: 'tabular/test' });
  build = () => mlp(20, trainData.classes, o.seed);
} else {
  const full = await loadFashionMnist({ split: 'train', source: 'bundled' });
  const images = o.limitTrain ? limitDataset(full, o.limitTrain, o.seed) : full;
  train = imageSamples(images);
  test = imageSamples(await loadFashionMnist({ split: 'test', source: 'bundled' }));
  build = () => cnn(o.seed);
}
const epochs = o.epochs ?? (o.task === 'tabular' ? 3 : 1);
console.log(
  `${o.task}: ${train.count} training / ${test.count} test samples, ${epochs} epochs, batch ${o.batchSize}, ` +
    `${o.rounds} rounds; backend ${backend.name} (${backend.reason})`,
);
const results = await race({
  build,
  train,
  test,
  epochs,
  batchSize: o.batchSize,
  lr: o.lr,
  rounds: o.rounds,
  targetRate: o.targetRate,
  seed: o.seed,
  log: (line) => console.log(line),
});

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const of = (c: RunResult['contender']) => results.filter((r) => r.contender === c);
const perEpoch = (c: RunResult['contender']) => median(of(c).map((r) => r.seconds / r.epochs));
const fitEpoch = perEpoch('model.fit');
console.log(
  `\n| ${o.task} (${backend.name}) | epochs | s / epoch (median) | vs model.fit | test accuracy (mean) | activation |`,
);
console.log('|---|---|---|---|---|---|');
for (const c of ['model.fit', 'fitSparse full', 'fitSparse AST', 'fitSparse random'] as const) {
  const rs = of(c);
  console.log(
    `| ${c} | ${mean(rs.map((r) => r.epochs)).toFixed(1)} | ${perEpoch(c).toFixed(3)} | ` +
      `${(perEpoch(c) / fitEpoch).toFixed(3)}× | ${mean(rs.map((r) => r.accuracy)).toFixed(2)} % | ` +
      `${(100 * mean(rs.map((r) => r.activationRate))).toFixed(1)} % |`,
  );
}
const wall = (c: RunResult['contender']) => mean(of(c).map((r) => r.seconds));
console.log(
  `\nAt equal wall-clock (the budget is model.fit's ${wall('model.fit').toFixed(2)} s): ` +
    `AST ${wall('fitSparse AST').toFixed(2)} s → ${mean(of('fitSparse AST').map((r) => r.accuracy)).toFixed(2)} %, ` +
    `random control ${wall('fitSparse random').toFixed(2)} s → ${mean(of('fitSparse random').map((r) => r.accuracy)).toFixed(2)} %, ` +
    `model.fit → ${mean(of('model.fit').map((r) => r.accuracy)).toFixed(2)} %.`,
);
// Each round ran model.fit and fitSparse full back to back: their ratio per round cancels the machine's drift.
const ratios = [...Array(o.rounds).keys()].map((round) => {
  const pick = (c: RunResult['contender']) => results.find((r) => r.contender === c && r.round === round)!;
  return pick('fitSparse full').seconds / pick('model.fit').seconds;
});
console.log(
  `fitSparse full / model.fit epoch time per round: ${ratios.map((r) => r.toFixed(3)).join(', ')} (median ${median(ratios).toFixed(3)}×)`,
);
const accGap =
  mean(of('fitSparse full').map((r) => r.accuracy)) - mean(of('model.fit').map((r) => r.accuracy));
console.log(
  `fitSparse full vs model.fit: accuracy ${accGap >= 0 ? '+' : ''}${accGap.toFixed(2)} points, ` +
    `epoch time ${median(ratios).toFixed(3)}× (median of the rounds' ratios; targets: ±0.5 points, ≤ 1.05×).`,
);
