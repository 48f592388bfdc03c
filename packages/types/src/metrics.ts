import type { JsonObject } from './json.js';

/** Version tag of the metrics file format. */
export const METRICS_SCHEMA = 'sundew.metrics/v1';

/** How a run trains: AST, every sample, or one sample per step. */
export type TrainingMode = 'sparse' | 'full' | 'sample';

/** One training batch as the recorder saw it. */
export interface BatchRecord {
  epoch: number;
  /** Batch index within the epoch. */
  batch: number;
  /** Samples in the batch. */
  batchSize: number;
  /** Samples trained on. */
  activated: number;
  /** Threshold the gate used for this batch (NaN where there is no gate). */
  threshold: number;
  /** Mean training loss of the step (NaN when no step was taken). */
  loss: number;
  /** Modeled energy spent on this batch. */
  energyConsumed: number;
  /** Modeled energy full training would have spent on this batch. */
  energyBaseline: number;
  /** Wall-clock seconds of the whole batch (score + gate + step). */
  stepSeconds: number;
}

/**
 * Where an epoch's training seconds went. `scoring`: the forward pass (and
 * input statistics) a scorer asked for; `selection`: scores, gate, gathering
 * the chosen samples; `training`: forward + backward + optimizer steps;
 * `bookkeeping`: recording the batch and the per-batch callbacks.
 */
export interface PhaseSeconds {
  scoring: number;
  selection: number;
  training: number;
  bookkeeping: number;
}

/** One epoch's summary. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the steps taken (NaN if none). */
  trainLoss: number;
  /** Validation loss and accuracy (0–1); null when not validated. */
  valLoss: number | null;
  valAccuracy: number | null;
  /** Mean of the per-class recalls on the validation set (0–1); absent in older files and for regression. */
  valBalancedAccuracy?: number | null;
  /** Samples trained on / samples seen. */
  activationRate: number;
  /** Modeled energy saved this epoch, percent. */
  energySavedPercent: number;
  samplesProcessed: number;
  samplesSkipped: number;
  /** Samples put through a scoring forward (no gradient) this epoch; absent in older files. */
  samplesScored?: number;
  /** Training seconds of the epoch (validation excluded). */
  epochSeconds: number;
  /** Seconds spent validating. */
  validationSeconds: number;
  /** Training seconds since the run started, at the end of this epoch. */
  elapsedSeconds: number;
  /** True when the epoch was cut short (budget, limit on batches). */
  partial?: boolean;
  /** Batches the epoch ran. */
  batches: number;
  /** Where the epoch's seconds went (absent in files written before it was measured). */
  phaseSeconds?: PhaseSeconds;
}

/** Machine and software the run happened on. */
export interface RunEnvironment {
  backend: string;
  /** Threads the backend computed with (WASM: XNNPACK's pool), when known. */
  threads?: number;
  node: string;
  platform: string;
  arch: string;
  cores: number;
  cpuModel?: string;
  tfjsVersion?: string;
  sundewVersion?: string;
}

/** Epoch seconds of other training modes measured on the same machine, for speed-ups. */
export interface BaselineTiming {
  mode: TrainingMode;
  /** Seconds per epoch: measured, or extrapolated from `measuredBatches` batches. */
  epochSeconds: number;
  /** When only some batches were timed: how many, and of how many per epoch. */
  measuredBatches?: number;
  batchesPerEpoch?: number;
  /** Where the number came from (e.g. the metrics file of the full run). */
  source?: string;
}

/** A whole run: the file `metrics.json` holds exactly this. */
export interface RunMetrics {
  schema: typeof METRICS_SCHEMA;
  run: {
    /** Free label, e.g. `ast`, `full`, `random`. */
    label: string;
    mode: TrainingMode;
    startedAt: string;
    finishedAt?: string;
    /** The configuration the run was started with. */
    config: JsonObject;
    /** Target activation rate, if the gate has one. */
    targetActivationRate?: number;
    /** Batches a complete epoch has (a partial epoch's timing extrapolates with it). */
    batchesPerEpoch?: number;
    /** Training samples per epoch. */
    trainSamples?: number;
  };
  environment: RunEnvironment;
  epochs: EpochRecord[];
  batches: BatchRecord[];
  /** Other modes timed beside this run (the dashboard's speed bars). */
  baselines: BaselineTiming[];
  /** Free notes, e.g. "sample mode timed on 5 batches". */
  notes: string[];
}
