import { gateNames } from '@sundew/gate';
import { scorerNames } from '@sundew/significance';
import { z } from 'zod';

/** Backends `--backend` takes. */
export const backendNames = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const;

const positiveInt = z.number().int().min(1);

/**
 * Everything `sundew train` can be told, from flags or a `--config` JSON file
 * (flags override the file). One schema: validated here, trusted inside.
 */
export const trainConfigSchema = z.strictObject({
  /** `default`: Sundew's recipe. `reference`: the original standalone script, to reproduce it. */
  preset: z.enum(['default', 'reference']).default('default'),
  dataset: z.enum(['fashion-mnist', 'cifar10', 'synthetic']).default('fashion-mnist'),
  /** Folder of the dataset's files; Fashion-MNIST defaults to the bundled subset. */
  dataDir: z.string().min(1).optional(),
  model: z.enum(['tiny', 'reference']).default('tiny'),
  mode: z.enum(['sparse', 'full', 'sample']).default('sparse'),
  scorer: z.enum(scorerNames).optional(),
  gate: z.enum(gateNames).optional(),
  /** Default: the preset's (30 %; the reference preset 10 %). */
  targetRate: z.number().gt(0).max(1).optional(),
  /** How selected samples become steps (default: the preset's). */
  selection: z.enum(['per-batch', 'buffered']).optional(),
  /** Unbiased re-weighting of kept samples (default: the preset's). */
  reweight: z.enum(['none', 'infobatch']).optional(),
  epochs: positiveInt.max(100_000).default(2),
  batchSize: positiveInt.max(65_536).default(128),
  microBatchSize: positiveInt.optional(),
  lr: z.number().gt(0).max(10).optional(),
  weightDecay: z.number().min(0).max(1).default(0.01),
  warmupEpochs: z.number().int().min(0).default(0),
  clipNorm: z.number().gt(0).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  limitTrain: positiveInt.optional(),
  limitTest: positiveInt.optional(),
  backend: z.enum(backendNames).default('auto'),
  /** Threads of the WASM backend's matmuls (tfjs-backend-wasm's threaded build above 1). */
  threads: positiveInt.max(64).default(1),
  out: z.string().min(1).default('runs/latest'),
  label: z.string().min(1).optional(),
  resume: z.boolean().default(false),
  budgetSeconds: z.number().gt(0).optional(),
  sampleBatches: positiveInt.default(5),
  checkpointEvery: positiveInt.optional(),
  onNonFinite: z.enum(['stop', 'skip']).default('stop'),
  progress: z.enum(['auto', 'bar', 'lines', 'none']).default('auto'),
});

/** A validated `sundew train` configuration. */
export type TrainConfig = z.output<typeof trainConfigSchema>;
/** What a user may write: every field optional. */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
