import type { Augmentation } from '@sundew/data';
import type { MetricsRecorder } from '@sundew/metrics';
import type {
  EpochRecord,
  Gate,
  GateStats,
  ImageDataset,
  JsonObject,
  SignificanceScorer,
  TrainingMode,
} from '@sundew/types';
import type { Model } from '@sundew/types/model';
import { checkDataset } from './check-dataset.js';
import { TrainerConfigError } from './errors.js';
import type { SelectionMode } from './selection.js';

/** What `onBatchEnd` receives. */
export interface BatchEvent {
  epoch: number;
  epochs: number;
  batch: number;
  /** Batches this epoch will run. */
  batches: number;
  /** Mean loss of the steps this batch took (NaN when none). */
  loss: number;
  batchSize: number;
  activated: number;
  /** Activation rate of the epoch so far. */
  epochActivationRate: number;
  /** The gate's stats after this batch (null in full mode). */
  gate: GateStats | null;
  seconds: number;
  /** Training seconds of the run so far, and its budget (when one was set). */
  trainSeconds: number;
  budgetSeconds?: number;
}

/** Options of `train`. Only `model`, `train` and `epochs` are required. */
export interface TrainOptions {
  model: Model;
  train: ImageDataset;
  /** Validated after every epoch; null/absent: no validation. */
  validation?: ImageDataset | null;
  /** `sparse` (AST, default), `full` (every sample) or `sample` (one sample per step). */
  mode?: TrainingMode;
  /** Required for `sparse` and `sample`. */
  scorer?: SignificanceScorer;
  /** Required for `sparse` and `sample`. */
  gate?: Gate;
  epochs: number;
  /** Default 128. */
  batchSize?: number;
  /** Largest batch one forward/backward runs at; gradients are summed over micro-batches. Default: batchSize. */
  microBatchSize?: number;
  /** Peak learning rate (default 1e-4), AdamW weight decay (0.01), global-norm clip (1.0; null: off). */
  lr?: number;
  weightDecay?: number;
  clipNorm?: number | null;
  /** `cosine` (default) or `constant`; progress is epochs or, with a budget, seconds. */
  schedule?: 'cosine' | 'constant';
  minLr?: number;
  /** Share of the run spent warming the learning rate up linearly. Default 0. */
  warmupFraction?: number;
  /** Sparse mode: train on every sample for the first N epochs. Default 0. */
  warmupEpochs?: number;
  /** How selected samples become steps. Default `per-batch`. */
  selection?: SelectionMode;
  /** `infobatch`: up-weight kept low-score samples by 1/(kept share). Default `none`. */
  reweight?: 'none' | 'infobatch';
  /** Every random choice (order, augmentation, dropout, fallback) derives from it. Default 0. */
  seed?: number;
  augment?: Augmentation | false;
  /** Stop each epoch after this many batches (sample mode: default 5, timed and marked partial). */
  maxBatchesPerEpoch?: number;
  /** Stop when training seconds (validation excluded) reach this; then validate. */
  budgetSeconds?: number;
  /**
   * Stop when the sample passes reach this (samples trained + ⅓ of the samples
   * scored by a forward alone): a budget the machine's speed does not change.
   * Not with `budgetSeconds`.
   */
  budgetSamples?: number;
  /** `stop` (default): throw `NonFiniteLossError`; `skip`: skip the batch, count it in the notes. */
  onNonFinite?: 'stop' | 'skip';
  /** Checkpoint file: written every `every` batches and at each epoch end; `resume` continues from it. */
  checkpoint?: { path: string; every?: number; resume?: boolean };
  /** Aborting stops after the current batch, writes a checkpoint and returns. */
  signal?: AbortSignal;
  /** Recorder to fill (default: a new one labelled `label`). */
  recorder?: MetricsRecorder;
  label?: string;
  /** Stored verbatim in the metrics file. */
  config?: JsonObject;
  onBatchEnd?: (event: BatchEvent) => void;
  onEpochEnd?: (record: EpochRecord) => void;
  log?: (line: string) => void;
}

const int = (name: string, v: number | undefined, min: number): void => {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) {
    throw new TrainerConfigError(`train: ${name} must be an integer ≥ ${min}; received ${v}`);
  }
};

const num = (name: string, v: number | null | undefined, ok: (x: number) => boolean, range: string): void => {
  if (v !== undefined && v !== null && !(Number.isFinite(v) && ok(v))) {
    throw new TrainerConfigError(`train: ${name} must be ${range}; received ${v}`);
  }
};

/** Check options at the edge; every message names the option and what would be right. */
export function checkTrainOptions(o: TrainOptions): void {
  const mode = o.mode ?? 'sparse';
  if (!['sparse', 'full', 'sample'].includes(mode)) {
    throw new TrainerConfigError(
      `train: mode must be sparse, full or sample; received ${JSON.stringify(mode)}`,
    );
  }
  int('epochs', o.epochs, 1);
  int('batchSize', o.batchSize, 1);
  int('microBatchSize', o.microBatchSize, 1);
  int('warmupEpochs', o.warmupEpochs, 0);
  int('maxBatchesPerEpoch', o.maxBatchesPerEpoch, 1);
  int('seed', o.seed, 0);
  num('lr', o.lr, (x) => x > 0, 'a positive number');
  num('weightDecay', o.weightDecay, (x) => x >= 0, '≥ 0');
  num('clipNorm', o.clipNorm, (x) => x > 0, 'a positive number (or null for no clipping)');
  num('budgetSeconds', o.budgetSeconds, (x) => x > 0, 'a positive number of seconds');
  num('budgetSamples', o.budgetSamples, (x) => x > 0, 'a positive number of sample passes');
  if (o.budgetSeconds !== undefined && o.budgetSamples !== undefined) {
    throw new TrainerConfigError(
      'train: budgetSeconds and budgetSamples are two budgets for one run; pass one of them',
    );
  }
  num('warmupFraction', o.warmupFraction, (x) => x >= 0 && x < 1, 'in [0, 1)');
  if (mode !== 'full' && (!o.scorer || !o.gate)) {
    throw new TrainerConfigError(
      `train: mode "${mode}" needs a scorer and a gate; pass both (or use mode "full")`,
    );
  }
  if (o.checkpoint) {
    if (typeof o.checkpoint.path !== 'string' || o.checkpoint.path === '') {
      throw new TrainerConfigError(
        `train: checkpoint.path must be a file path; received ${JSON.stringify(o.checkpoint.path)}`,
      );
    }
    int('checkpoint.every', o.checkpoint.every, 1);
  }
  checkDataset('train', o.train, o.model);
  if (o.validation) checkDataset('validation', o.validation, o.model);
}
