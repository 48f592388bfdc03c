import type {
  BaselineTiming,
  BatchRecord,
  EpochRecord,
  JsonObject,
  PhaseSeconds,
  RunEnvironment,
  RunMetrics,
  TrainingMode,
} from '@sundew/types';
import { METRICS_SCHEMA } from '@sundew/types';
import { detectEnvironment } from './environment.js';

/** Options of a new recorder. */
export interface MetricsRecorderOptions {
  /** Free label of the run, e.g. `ast`, `full`, `random`. */
  label: string;
  mode: TrainingMode;
  /** The configuration the run was started with (kept verbatim in the file). */
  config?: JsonObject;
  /** Machine and software; detected (backend `unknown`) when omitted. */
  environment?: RunEnvironment;
  /** The gate's target rate, drawn as the target line in plots. */
  targetActivationRate?: number;
  /** Keep every batch record (default true); false keeps epoch summaries only. */
  keepBatches?: boolean;
}

/** What the trainer knows at the end of an epoch; the recorder adds the rest from the batches. */
export interface EpochEnd {
  epoch: number;
  valLoss: number | null;
  valAccuracy: number | null;
  /** Mean per-class recall on the validation set, when measured. */
  valBalancedAccuracy?: number | null;
  /** Samples put through a scoring forward this epoch, when counted. */
  samplesScored?: number;
  /** Training seconds of the epoch, validation excluded. */
  epochSeconds: number;
  validationSeconds: number;
  partial?: boolean;
  /** Where the training seconds went, when the trainer measured it. */
  phaseSeconds?: PhaseSeconds;
}

/** Running totals of the open epoch: kept apart from the batch list so `keepBatches: false` still aggregates. */
interface EpochAccumulator {
  batches: number;
  processed: number;
  activated: number;
  lossSum: number;
  lossWeight: number;
  energyConsumed: number;
  energyBaseline: number;
}

const emptyAccumulator = (): EpochAccumulator => ({
  batches: 0,
  processed: 0,
  activated: 0,
  lossSum: 0,
  lossWeight: 0,
  energyConsumed: 0,
  energyBaseline: 0,
});

/**
 * Collects what a training run does, batch by batch and epoch by epoch, into
 * one `RunMetrics` object (the `metrics.json` file).
 */
export class MetricsRecorder {
  private readonly metrics: RunMetrics;
  private readonly keepBatches: boolean;
  private open: EpochAccumulator = emptyAccumulator();

  constructor(options: MetricsRecorderOptions) {
    if (!options.label) throw new TypeError('MetricsRecorder: `label` must be a non-empty string');
    this.keepBatches = options.keepBatches ?? true;
    this.metrics = {
      schema: METRICS_SCHEMA,
      run: {
        label: options.label,
        mode: options.mode,
        startedAt: new Date().toISOString(),
        config: options.config ?? {},
        ...(options.targetActivationRate !== undefined
          ? { targetActivationRate: options.targetActivationRate }
          : {}),
      },
      environment: options.environment ?? detectEnvironment({ backend: 'unknown' }),
      epochs: [],
      batches: [],
      baselines: [],
      notes: [],
    };
  }

  /** Continue recording into a run read back from a file or a checkpoint. */
  static fromJSON(metrics: RunMetrics): MetricsRecorder {
    const rec = new MetricsRecorder({
      label: metrics.run.label,
      mode: metrics.run.mode,
      config: metrics.run.config,
      environment: metrics.environment,
    });
    const copy = structuredClone(metrics);
    Object.assign(rec.metrics, copy);
    // Batches recorded after the last closed epoch belong to the open epoch.
    const lastEpoch = copy.epochs.at(-1)?.epoch ?? -Infinity;
    for (const b of copy.batches) if (b.epoch > lastEpoch) rec.accumulate(b);
    return rec;
  }

  /** One training batch. */
  recordBatch(record: BatchRecord): void {
    this.accumulate(record);
    if (this.keepBatches) this.metrics.batches.push({ ...record });
  }

  /** Close the epoch: aggregates its batches and appends the epoch record, which it returns. */
  endEpoch(end: EpochEnd): EpochRecord {
    const a = this.open;
    const previous = this.metrics.epochs.at(-1);
    const record: EpochRecord = {
      epoch: end.epoch,
      trainLoss: a.lossWeight > 0 ? a.lossSum / a.lossWeight : Number.NaN,
      valLoss: end.valLoss,
      valAccuracy: end.valAccuracy,
      ...(end.valBalancedAccuracy !== undefined ? { valBalancedAccuracy: end.valBalancedAccuracy } : {}),
      activationRate: a.processed > 0 ? a.activated / a.processed : 0,
      energySavedPercent:
        a.energyBaseline > 0 ? (100 * (a.energyBaseline - a.energyConsumed)) / a.energyBaseline : 0,
      samplesProcessed: a.activated,
      samplesSkipped: a.processed - a.activated,
      ...(end.samplesScored !== undefined ? { samplesScored: end.samplesScored } : {}),
      epochSeconds: end.epochSeconds,
      validationSeconds: end.validationSeconds,
      elapsedSeconds: (previous?.elapsedSeconds ?? 0) + end.epochSeconds,
      batches: a.batches,
      ...(end.partial ? { partial: true } : {}),
      ...(end.phaseSeconds ? { phaseSeconds: { ...end.phaseSeconds } } : {}),
    };
    this.metrics.epochs.push(record);
    this.open = emptyAccumulator();
    return record;
  }

  /** Epoch seconds of another mode measured beside this run (the dashboard's speed bars). */
  addBaseline(baseline: BaselineTiming): void {
    const i = this.metrics.baselines.findIndex((b) => b.mode === baseline.mode);
    if (i >= 0) this.metrics.baselines[i] = { ...baseline };
    else this.metrics.baselines.push({ ...baseline });
  }

  /** Describe the epoch the trainer runs: batches and samples of a complete epoch. */
  setEpochShape(shape: { batchesPerEpoch: number; trainSamples: number }): void {
    this.metrics.run.batchesPerEpoch = shape.batchesPerEpoch;
    this.metrics.run.trainSamples = shape.trainSamples;
  }

  /** A free-text note kept in the file (e.g. how a number was measured). */
  note(text: string): void {
    this.metrics.notes.push(text);
  }

  /** Mark the run finished (sets `finishedAt`). */
  finish(): void {
    this.metrics.run.finishedAt = new Date().toISOString();
  }

  /** A deep copy of everything recorded so far. */
  toJSON(): RunMetrics {
    return structuredClone(this.metrics);
  }

  private accumulate(b: BatchRecord): void {
    const a = this.open;
    a.batches += 1;
    a.processed += b.batchSize;
    a.activated += b.activated;
    a.energyConsumed += b.energyConsumed;
    a.energyBaseline += b.energyBaseline;
    if (Number.isFinite(b.loss) && b.activated > 0) {
      a.lossSum += b.loss * b.activated;
      a.lossWeight += b.activated;
    }
  }
}
