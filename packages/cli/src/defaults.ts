import { gateNames } from '@sundew/gate';
import { scorerNames } from '@sundew/significance';
import { recipeFor } from './presets.js';

/**
 * The defaults of `sundew train` that do not depend on the preset: the one
 * source the config schema, `--help` and the README's option table read
 * (`defaults.test.ts` checks the README against it).
 */
export const TRAIN_DEFAULTS = {
  preset: 'default',
  dataset: 'fashion-mnist',
  model: 'tiny',
  mode: 'sparse',
  epochs: 2,
  batchSize: 128,
  weightDecay: 0.01,
  warmupEpochs: 0,
  /** The trainer's global gradient-norm clip (it clips at 1 when not told). */
  clipNorm: 1,
  seed: 0,
  backend: 'auto',
  threads: 1,
  out: 'runs/latest',
  sampleBatches: 5,
  onNonFinite: 'stop',
  progress: 'auto',
} as const;

/** What each preset's recipe picks when the flag is not given (from `recipeFor`, the code that runs). */
export const PRESET_DEFAULTS = {
  default: recipeFor({ preset: 'default', model: 'tiny' }),
  defaultReferenceModel: recipeFor({ preset: 'default', model: 'reference' }),
  reference: recipeFor({ preset: 'reference', model: 'tiny' }),
};

const d = PRESET_DEFAULTS.default;
const r = PRESET_DEFAULTS.reference;
const perPreset = (value: (x: typeof d) => string | number): string => {
  const [a, b] = [String(value(d)), String(value(r))];
  return a === b ? a : `${a}; --preset reference: ${b}`;
};

/** The default a flag shows in `--help` and in the README's table, in words. */
export const DEFAULT_TEXT = {
  scorer: perPreset((x) => x.scorer),
  gate: perPreset((x) => x.gate),
  targetRate: perPreset((x) => x.targetRate),
  lr: `${d.lr} (tiny model), ${PRESET_DEFAULTS.defaultReferenceModel.lr} (reference model); --preset reference: ${r.lr}`,
  selection: perPreset((x) => x.selection),
  reweight: perPreset((x) => x.reweight),
  warmupEpochs: String(TRAIN_DEFAULTS.warmupEpochs),
  microBatchSize: 'the batch size',
  clipNorm: String(TRAIN_DEFAULTS.clipNorm),
} as const;

/** The choices a flag lists in `--help` (the names the code accepts). */
export const CHOICES = { scorer: scorerNames, gate: gateNames } as const;
