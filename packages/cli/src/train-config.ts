import { gateNames } from '@sundew/gate';
import { scorerNames } from '@sundew/significance';
import { z } from 'zod';
import { TRAIN_DEFAULTS as D } from './defaults.js';

/** Backends `--backend` takes. */
export const backendNames = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const;

const positiveInt = z.number().int().min(1);

/**
 * Everything `sundew train` can be told, from flags or a `--config` JSON file
 * (flags override the file). One schema: validated here, trusted inside.
 */
export const trainConfigSchema = z.strictObject({
  /** `default`: Sundew's recipe. `reference`: the original standalone script, to reproduce it. */
  preset: z.enum(['default', 'reference']).default(D.preset),
  dataset: z.enum(['fashion-mnist', 'cifar10', 'synthetic']).default(D.dataset),
  /** Folder of the dataset's files; Fashion-MNIST defaults to the bundled subset. */
  dataDir: z.string().min(1).optional(),
  model: z.enum(['tiny', 'reference']).default(D.model),
  mode: z.enum(['sparse', 'full', 'sample']).default(D.mode),
  scorer: z.enum(scorerNames).optional(),
  gate: z.enum(gateNames).optional(),
  /** Default: the preset's (30 %; the reference preset 10 %). */
  targetRate: z.number().gt(0).max(1).optional(),
  /** How selected samples become steps (default: the preset's). */
  selection: z.enum(['per-batch', 'buffered']).optional(),
  /** Unbiased re-weighting of kept samples (default: the preset's). */
  reweight: z.enum(['none', 'infobatch']).optional(),
  epochs: positiveInt.max(100_000).default(D.epochs),
  batchSize: positiveInt.max(65_536).default(D.batchSize),
  microBatchSize: positiveInt.optional(),
  lr: z.number().gt(0).max(10).optional(),
  weightDecay: z.number().min(0).max(1).default(D.weightDecay),
  warmupEpochs: z.number().int().min(0).default(D.warmupEpochs),
  clipNorm: z.number().gt(0).default(D.clipNorm),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(D.seed),
  limitTrain: positiveInt.optional(),
  limitTest: positiveInt.optional(),
  backend: z.enum(backendNames).default(D.backend),
  /** Threads of the WASM backend's matmuls (tfjs-backend-wasm's threaded build above 1). */
  threads: positiveInt.max(64).default(D.threads),
  out: z.string().min(1).default(D.out),
  label: z.string().min(1).optional(),
  resume: z.boolean().default(false),
  budgetSeconds: z.number().gt(0).optional(),
  /** Stop at this many sample passes (trained samples + ⅓ of forward-only scored ones); not with budgetSeconds. */
  budgetSamples: positiveInt.max(1e12).optional(),
  /** Training-data regime (the test set stays clean): share of labels flipped to another class. */
  labelNoise: z.number().min(0).max(0.9).optional(),
  /** Long-tailed training set: the first class keeps all, the last 1/r of its images. */
  imbalance: z.number().min(1).max(1000).optional(),
  /** Redundant training set: n/k images, each k times (copies shifted by up to a pixel). */
  duplicates: positiveInt.max(100).optional(),
  sampleBatches: positiveInt.default(D.sampleBatches),
  checkpointEvery: positiveInt.optional(),
  onNonFinite: z.enum(['stop', 'skip']).default(D.onNonFinite),
  progress: z.enum(['auto', 'bar', 'lines', 'none']).default(D.progress),
});

/** A validated `sundew train` configuration. */
export type TrainConfig = z.output<typeof trainConfigSchema>;
/** What a user may write: every field optional. */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
