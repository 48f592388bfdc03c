// Child of bench.ts: training seconds for full training, AST with the default
// recipe of `sundew train` and the random control (the same recipe with random
// scores: no scoring forward) to reach a validation accuracy on the bundled
// Fashion-MNIST, tiny ViT, accuracy checked at epoch ends, each run stopped by
// the same budget.
// Run alone: npx tsx bench/time-to-accuracy.ts --threads 1 --target 0.7 --budget 60
import { recipeFor, selectionFor, trainConfigSchema } from '@sundew/cli';
import { loadFashionMnist } from '@sundew/data';
import { type TrainOptions, train } from '@sundew/trainer';
import { createViT, selectBackend } from '@sundew/vit';
import { arg, emit } from './lib.js';

/** One method's row. */
export interface AccuracyRow {
  method: string;
  /** Training seconds (validation excluded) at the first epoch end at or above the target; null if not reached. */
  seconds: number | null;
  epochs: number;
  finalAccuracy: number | null;
}

/** What the script reports. */
export interface AccuracyResult {
  threads: number;
  target: number;
  budgetSeconds: number;
  recipe: Record<string, unknown>;
  rows: AccuracyRow[];
}

const target = Number(arg('target', '0.7'));
const budget = Number(arg('budget', '60'));
const selection = await selectBackend('wasm', { threads: Number(arg('threads', '1')) });
const trainSet = await loadFashionMnist({ split: 'train', source: 'bundled' });
const testSet = await loadFashionMnist({ split: 'test', source: 'bundled' });
const config = trainConfigSchema.parse({});
const recipe = recipeFor(config);
const model = createViT('tiny');
const initial = model.getWeights();
const sparse = (scorerName: string): Partial<TrainOptions> => {
  const { scorer, gate } = selectionFor(recipe, { scorer: scorerName, seed: 0, datasetSize: trainSet.count });
  return {
    mode: 'sparse',
    scorer,
    gate,
    selection: recipe.selection,
    reweight: recipe.reweight,
    warmupEpochs: recipe.warmupEpochs,
  };
};
const rows: AccuracyRow[] = [];
for (const [method, opts] of [
  ['full', { mode: 'full' }],
  [`AST (default recipe: ${recipe.scorer}, ${recipe.selection})`, sparse(recipe.scorer)],
  [`random control (${recipe.selection})`, sparse('random')],
] as [string, Partial<TrainOptions>][]) {
  model.setWeights(initial);
  const { metrics } = await train({
    model,
    train: trainSet,
    validation: testSet,
    epochs: 10_000,
    lr: recipe.lr,
    seed: 0,
    budgetSeconds: budget,
    ...opts,
  });
  const hit = metrics.epochs.find((e) => (e.valAccuracy ?? 0) >= target);
  rows.push({
    method,
    seconds: hit ? hit.elapsedSeconds : null,
    epochs: metrics.epochs.length,
    finalAccuracy: metrics.epochs.at(-1)?.valAccuracy ?? null,
  });
  console.error(`  ${method}: ${hit ? `${hit.elapsedSeconds.toFixed(1)} s` : 'not reached'}`);
}
model.dispose();
emit({
  threads: selection.threads,
  target,
  budgetSeconds: budget,
  recipe: { ...recipe },
  rows,
} satisfies AccuracyResult);
process.exit(0);
