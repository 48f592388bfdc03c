// The standalone pipeline (the counterpart of the original script): full
// training, AST with the Sundew gate and the random-selection control, all
// from the same seed and the same initial weights, timed side by side in this
// process; a few sample-by-sample batches timed for the third speed bar; every
// figure and the three metrics files written into one folder.
//
// Run: npm run demo   (or: npx tsx examples/standalone/src/main.ts --help)
import { join, resolve } from 'node:path';
import { batchProgressOf, createProgress, recipeFor, selectionFor } from '@sundew/cli';
import { limitDataset, loadCifar10, loadFashionMnist } from '@sundew/data';
import { baselineFrom, writeRunMetrics } from '@sundew/metrics';
import { renderFigures } from '@sundew/plot';
import { type TrainOptions, train } from '@sundew/trainer';
import type { RunMetrics } from '@sundew/types';
import { type BackendChoice, createViT, selectBackend } from '@sundew/vit';
import { Command, InvalidArgumentError } from 'commander';
import { endReport } from './report.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expects a positive integer.');
  return n;
};
const rate = (v: string) => {
  const n = Number(v);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expects a number in (0, 1].');
  return n;
};

const options = new Command('standalone')
  .description('full training vs AST vs the random control, from the same initial weights')
  .option('--dataset <name>', 'fashion-mnist or cifar10', 'fashion-mnist')
  .option('--data-dir <dir>', 'dataset folder (default: the bundled Fashion-MNIST subset)')
  .option('--epochs <n>', 'epochs per run', int, 3)
  .option('--target-rate <r>', "AST and random-control activation rate (default: the recipe's, 0.3)", rate)
  .option('--lr <x>', "peak learning rate (default: the recipe's, 2e-3)", Number)
  .option('--seed <n>', 'seed of every random choice', (v) => Number(v), 0)
  .option('--limit-train <n>', 'use N training images', int)
  .option('--sample-batches <n>', 'sample-by-sample batches to time', int, 2)
  .option('--backend <name>', 'auto, wasm, cpu, tensorflow, tensorflow-gpu', 'auto')
  .option('--threads <n>', 'WASM threads for matmuls', int, 1)
  .option('--out <dir>', 'output folder', 'runs/standalone')
  .parse()
  .opts<{
    dataset: string;
    dataDir?: string;
    epochs: number;
    targetRate?: number;
    lr?: number;
    seed: number;
    limitTrain?: number;
    sampleBatches: number;
    backend: BackendChoice;
    threads: number;
    out: string;
  }>();

// npm start -w runs in this folder; INIT_CWD is where the user typed the command.
const out = resolve(process.env['INIT_CWD'] ?? process.cwd(), options.out);
const backend = await selectBackend(options.backend, { threads: options.threads });
console.log(
  `backend: ${backend.name}${backend.threads > 1 ? `, ${backend.threads} threads` : ''} (${backend.reason})`,
);
// The same recipe as `sundew train --mode sparse`; the random control is that recipe with random scores.
const recipe = recipeFor({ preset: 'default', model: 'tiny' });
const lr = options.lr ?? recipe.lr;
const load = (split: 'train' | 'test') =>
  options.dataset === 'cifar10'
    ? loadCifar10({ dir: options.dataDir ?? '.', split })
    : loadFashionMnist({
        split,
        ...(options.dataDir ? { dir: options.dataDir } : { source: 'bundled' as const }),
      });
let trainSet = await load('train');
const testSet = await load('test');
if (options.limitTrain) trainSet = limitDataset(trainSet, options.limitTrain, options.seed);
console.log(`data: ${trainSet.name}, ${trainSet.count} train / ${testSet.count} test images`);

const [h, w, c] = trainSet.shape;
const model = createViT({
  preset: 'tiny',
  imageSize: [h, w],
  channels: c,
  patchSize: h % 7 === 0 ? 7 : 4,
  seed: options.seed,
});
const initial = model.getWeights();
console.log(`model: ${model.name}, ${model.parameterCount().toLocaleString('en')} parameters`);

/** One run from the shared initial weights. */
async function run(
  label: string,
  overrides: Partial<TrainOptions>,
  chosen?: { scorer: string; targetRate: number },
): Promise<RunMetrics> {
  model.setWeights(initial);
  const progress = createProgress('auto');
  console.log(`\n== ${label}`);
  const { metrics } = await train({
    model,
    train: trainSet,
    validation: testSet,
    epochs: options.epochs,
    batchSize: 128,
    lr,
    seed: options.seed,
    label,
    augment: options.dataset === 'cifar10' ? { padding: 4, flip: true } : false,
    // What this run selected with (full training selects nothing).
    config: { example: 'standalone', dataset: trainSet.name, ...chosen, lr, seed: options.seed },
    onBatchEnd: (e) => progress.batch(batchProgressOf(e)),
    onEpochEnd: (e) =>
      progress.epoch(
        `${label} epoch ${e.epoch + 1}: val acc ${((e.valAccuracy ?? Number.NaN) * 100).toFixed(1)}%, ` +
          `active ${(100 * e.activationRate).toFixed(1)}%, ${e.epochSeconds.toFixed(1)} s`,
      ),
    ...overrides,
  });
  progress.stop();
  await writeRunMetrics(join(out, label), metrics);
  return metrics;
}

/** The recipe's scorer and gate (or random scores): fresh ones for every run. */
const selection = (scorer?: string) => {
  const s = selectionFor(recipe, {
    ...(scorer ? { scorer } : {}),
    ...(options.targetRate ? { targetRate: options.targetRate } : {}),
    seed: options.seed,
    datasetSize: trainSet.count,
  });
  const picked: Pick<TrainOptions, 'scorer' | 'gate' | 'selection' | 'reweight'> = {
    scorer: s.scorer,
    gate: s.gate,
    selection: recipe.selection,
    reweight: recipe.reweight,
  };
  return [picked, { scorer: s.scorerName, gate: s.gateName, targetRate: s.targetRate }] as const;
};
const full = await run('full', { mode: 'full' });
const [astSelection, astChosen] = selection();
const ast = await run('ast', { mode: 'sparse', ...astSelection }, astChosen);
const [randomSelection, randomChosen] = selection('random');
const random = await run('random', { mode: 'sparse', ...randomSelection }, randomChosen);
const [sampleSelection, sampleChosen] = selection();
const sample = await run(
  'sample-by-sample',
  { mode: 'sample', epochs: 1, maxBatchesPerEpoch: options.sampleBatches, ...sampleSelection },
  sampleChosen,
);

// The speed bars of AST's figures: full and sample-by-sample timed above, in this process.
for (const [other, source] of [
  [full, 'full run of this example'],
  [sample, `${options.sampleBatches} sample-by-sample batches of this example`],
] as const) {
  const baseline = baselineFrom(other, source);
  if (baseline) ast.baselines.push(baseline);
}
await writeRunMetrics(join(out, 'ast'), ast);
const figures = await renderFigures({ metrics: ast, compare: [full, random], outDir: join(out, 'figures') });
console.log(`\n${endReport({ full, ast, random })}`);
console.log(
  `\nwrote ${out}/{full,ast,random,sample-by-sample}/metrics.json and ${figures.files.length} figures in ${join(out, 'figures')}`,
);
model.dispose();
