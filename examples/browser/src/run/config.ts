// What a person chooses in the page (and the Node reference run repeats):
// checked here once, at the edge, with messages that say what would be right.

/** The recipes of `sundew train --preset` (packages/cli/src/presets.ts, `recipeFor`). */
export const RECIPES = {
  default: { scorer: 'stale-loss-guarded-balanced', gate: 'sundew', targetRate: 0.3, lr: 2e-3 },
  reference: { scorer: 'batch-relative', gate: 'sundew-script', targetRate: 0.1, lr: 1e-4 },
} as const;
export type RecipeName = keyof typeof RECIPES;

/** ViT sizes the page offers: `tiny` is @sundew/vit's preset; `micro` is a smaller one for quick runs and tests. */
export const MODEL_PRESETS = {
  tiny: { preset: 'tiny', patchSize: 7 },
  micro: { preset: 'tiny', patchSize: 7, dim: 32, depth: 1, heads: 2 },
} as const;
export type ModelPresetName = keyof typeof MODEL_PRESETS;

/** The three runs the page trains side by side, from the same initial weights. */
export const RUN_LABELS = ['full', 'ast', 'random'] as const;
export type RunLabel = (typeof RUN_LABELS)[number];

/** Equal epochs: every run trains `epochs` epochs. Equal seconds: every run gets `seconds` of training time. */
export type Budget = { kind: 'epochs'; epochs: number } | { kind: 'seconds'; seconds: number };

/** A checked run configuration. */
export interface RunConfig {
  recipe: RecipeName;
  /** Activation rate of AST and the random control, in (0, 1]. */
  targetRate: number;
  model: ModelPresetName;
  budget: Budget;
  seed: number;
  batchSize: number;
  /** Use the first N training images of a seeded subset (null: all 6,000 bundled ones). */
  limitTrain: number | null;
  /** Validate on N test images (null: all 1,000 bundled ones). */
  limitTest: number | null;
  /** Which of the three runs to train (default all). */
  runs: readonly RunLabel[];
}

/** Bad input, with the field it concerns (the page shows the message beside it). */
export class RunConfigError extends Error {
  override readonly name = 'RunConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the page's form (or a test) hands in: strings or numbers, unchecked. */
export type RawConfig = Partial<Record<keyof RunConfig | 'budgetKind' | 'budgetValue', unknown>>;

/** A number from a form field (`field`: its name; `label`: what the message calls it). */
const number = (field: string, label: string, value: unknown): number => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new RunConfigError(field, `${label} must be a number; received ${JSON.stringify(value)}`);
  }
  return n;
};

const optionalCount = (field: string, label: string, value: unknown, max: number): number | null => {
  if (value === undefined || value === null || value === '') return null;
  const n = number(field, label, value);
  if (!Number.isInteger(n) || n < 10 || n > max) {
    throw new RunConfigError(field, `${label} must be a whole number from 10 to ${max}; received ${n}`);
  }
  return n;
};

const oneOf = <T extends string>(field: string, value: unknown, known: readonly T[], fallback: T): T => {
  if (value === undefined || value === '') return fallback;
  if (!known.includes(value as T)) {
    throw new RunConfigError(
      field,
      `${field === 'budgetKind' ? 'budget' : field} must be one of ${known.join(', ')}; received ${JSON.stringify(value)}`,
    );
  }
  return value as T;
};

/** Check a raw configuration: every field has a default but the budget's value must make sense. */
export function checkRunConfig(raw: RawConfig, data = { train: 6000, test: 1000 }): RunConfig {
  const recipe = oneOf('recipe', raw.recipe, Object.keys(RECIPES) as RecipeName[], 'default');
  const model = oneOf('model', raw.model, Object.keys(MODEL_PRESETS) as ModelPresetName[], 'tiny');
  const targetRate =
    raw.targetRate === undefined || raw.targetRate === ''
      ? RECIPES[recipe].targetRate
      : number('targetRate', 'target rate', raw.targetRate);
  if (!(targetRate > 0 && targetRate <= 1)) {
    throw new RunConfigError(
      'targetRate',
      `target rate must be in (0, 1], e.g. 0.3 for 30 % of the samples; received ${targetRate}`,
    );
  }
  const kind = oneOf('budgetKind', raw.budgetKind, ['epochs', 'seconds'], 'epochs');
  const value = number('budgetValue', `budget (${kind})`, raw.budgetValue ?? (kind === 'epochs' ? 3 : 60));
  let budget: Budget;
  if (kind === 'epochs') {
    if (!Number.isInteger(value) || value < 1 || value > 100) {
      throw new RunConfigError(
        'budgetValue',
        `budget: epochs must be a whole number from 1 to 100; received ${value}`,
      );
    }
    budget = { kind, epochs: value };
  } else {
    if (!(value > 0 && value <= 3600)) {
      throw new RunConfigError(
        'budgetValue',
        `budget: seconds per run must be more than 0 and at most 3600; received ${value}`,
      );
    }
    budget = { kind, seconds: value };
  }
  const seed = number('seed', 'seed', raw.seed ?? 0);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
    throw new RunConfigError('seed', `seed must be a whole number from 0 to 2147483647; received ${seed}`);
  }
  const batchSize = number('batchSize', 'batch size', raw.batchSize ?? 128);
  if (!Number.isInteger(batchSize) || batchSize < 2 || batchSize > 1024) {
    throw new RunConfigError(
      'batchSize',
      `batch size must be a whole number from 2 to 1024; received ${batchSize}`,
    );
  }
  const runs = raw.runs === undefined ? RUN_LABELS : (raw.runs as unknown[]);
  if (!Array.isArray(runs) || runs.length === 0 || runs.some((r) => !RUN_LABELS.includes(r as RunLabel))) {
    throw new RunConfigError(
      'runs',
      `runs must be a non-empty list of ${RUN_LABELS.join(', ')}; received ${JSON.stringify(raw.runs)}`,
    );
  }
  return {
    recipe,
    targetRate,
    model,
    budget,
    seed,
    batchSize,
    limitTrain: optionalCount('limitTrain', 'training images', raw.limitTrain, data.train),
    limitTest: optionalCount('limitTest', 'test images', raw.limitTest, data.test),
    runs: RUN_LABELS.filter((r) => runs.includes(r)),
  };
}
