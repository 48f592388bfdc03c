import { sampleBatchCount, sampleBatches } from '@sundew/data';
import { type MetricsRecorder, samplePasses } from '@sundew/metrics';
import type { EpochRecord, SampleBatch, SampleDataset } from '@sundew/types';
import { readCheckpoint, removeStaleCheckpointTemps } from './checkpoint.js';
import type { StepEngine, StepReport } from './engine.js';
import type { BatchEvent } from './options.js';
import { restoreRun, saveRun } from './run-checkpoint.js';
import { evaluate } from './validate.js';

/** How a run ended. */
export interface TrainResult {
  metrics: ReturnType<MetricsRecorder['toJSON']>;
  stopped: 'completed' | 'budget' | 'aborted';
  /** Where a resumed run picked up. */
  resumedFrom?: { epoch: number; batch: number };
}

/** A callback's result: awaited when it is a promise. */
type Maybe = void | Promise<void>;

/** What `runEpochs` composes: an engine, the data, the budget, checkpoints and callbacks. */
export interface EpochLoopSpec {
  engine: StepEngine;
  train: SampleDataset;
  /** Validated after every epoch (null: none). */
  validation: SampleBatch | null;
  /** Batch size of a validation forward. Default 256. */
  validationBatchSize?: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Default true. */
  shuffle?: boolean;
  /** Hand the dataset an augmentation stream per batch. */
  augment: boolean;
  /** Batches each epoch runs (≤ the epoch's batches; fewer marks epochs partial). */
  limit: number;
  budgetSeconds?: number;
  /**
   * Stop when the sample passes (trained samples + ⅓ of the forward-only
   * scored ones) reach this: a budget that does not drift with the machine.
   */
  budgetSamples?: number;
  /** Learning rate at a progress in [0, 1] (epochs, or the share of the budget spent). */
  learningRate: (progress: number) => number;
  checkpoint?: { path: string; every?: number; resume?: boolean };
  fingerprint: string;
  signal?: AbortSignal;
  recorder: MetricsRecorder;
  log: (line: string) => void;
  /** A note per run explaining partial epochs, or null. */
  partialNote?: string | null;
  onEpochBegin?: (epoch: number) => Maybe;
  onBatchBegin?: (epoch: number, batch: number) => Maybe;
  onBatchEnd?: (event: BatchEvent, report: StepReport) => Maybe;
  onEpochEnd?: (record: EpochRecord) => Maybe;
}

const now = (): number => performance.now() / 1000;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const settle = async (v: Maybe): Promise<void> => {
  if (v && typeof (v as Promise<void>).then === 'function') await v;
};

/**
 * The epoch loop on top of a `StepEngine`: batches each epoch in a seeded
 * order, stops at a time budget or an abort (writing a checkpoint), validates
 * after each epoch, checkpoints every N batches and at each epoch end, resumes
 * from a checkpoint bit-exactly, and calls back after every batch and epoch.
 */
export async function runEpochs(s: EpochLoopSpec): Promise<TrainResult> {
  const { engine, log } = s;
  let recorder = s.recorder;
  const perEpoch = sampleBatchCount(s.train.count, s.batchSize);
  const limit = s.limit;
  let epoch = 0;
  let startBatch = 0;
  let trainSeconds = 0;
  let epochSeconds = 0;
  let passes = 0;
  let resumedFrom: TrainResult['resumedFrom'];
  const save = async (nextEpoch: number, nextBatch: number): Promise<void> => {
    if (!s.checkpoint) return;
    await saveRun(s.checkpoint.path, s.fingerprint, engine, {
      epoch: nextEpoch,
      batch: nextBatch,
      trainSeconds,
      epochSeconds,
      samplePasses: passes,
      recorder,
    });
  };
  const progress = (e: number, b: number): number =>
    s.budgetSeconds
      ? trainSeconds / s.budgetSeconds
      : s.budgetSamples
        ? passes / s.budgetSamples
        : (e + b / limit) / s.epochs;
  const result = (stopped: TrainResult['stopped']): TrainResult => ({
    metrics: recorder.toJSON(),
    stopped,
    ...(resumedFrom ? { resumedFrom } : {}),
  });

  if (s.checkpoint) {
    for (const file of await removeStaleCheckpointTemps(s.checkpoint.path)) {
      log(`removed ${file}, an unfinished checkpoint left by a killed run`);
    }
  }
  if (s.checkpoint?.resume) {
    const cp = await readCheckpoint(s.checkpoint.path, log);
    if (cp) {
      const at = await restoreRun(s.checkpoint.path, cp, s.fingerprint, engine, s.train);
      ({ epoch, batch: startBatch, trainSeconds, epochSeconds, recorder } = at);
      passes = at.samplePasses;
      engine.recorder = recorder;
      resumedFrom = { epoch, batch: startBatch };
      log(
        epoch >= s.epochs
          ? `resumed from ${s.checkpoint.path}: the run is complete (${s.epochs} of ${s.epochs} epochs); writing its metrics`
          : `resumed from ${s.checkpoint.path} at epoch ${epoch + 1}, batch ${startBatch + 1}`,
      );
    } else {
      log(`no checkpoint at ${s.checkpoint.path} yet: starting from the beginning`);
    }
  }
  let stopped: TrainResult['stopped'] = 'completed';
  for (; epoch < s.epochs && stopped === 'completed'; epoch++, startBatch = 0) {
    // Stopped between epochs (a callback's stopTraining): no epoch is begun.
    if (s.signal?.aborted) {
      await save(epoch, startBatch);
      return result('aborted');
    }
    await settle(s.onEpochBegin?.(epoch));
    let epochActive = 0;
    let epochSeen = 0;
    let epochScored = 0;
    let partial = limit < perEpoch;
    let b = startBatch;
    for (const batch of sampleBatches(s.train, {
      batchSize: s.batchSize,
      seed: s.seed,
      epoch,
      startBatch,
      shuffle: s.shuffle ?? true,
      augment: s.augment,
    })) {
      if (b >= limit) break;
      if (
        (s.budgetSeconds && trainSeconds >= s.budgetSeconds) ||
        (s.budgetSamples && passes >= s.budgetSamples)
      ) {
        stopped = 'budget';
        partial = true;
        break;
      }
      if (s.signal?.aborted) {
        await save(epoch, b);
        return result('aborted');
      }
      await settle(s.onBatchBegin?.(epoch, b));
      const r = engine.step(batch, {
        epoch,
        batch: b,
        last: b === limit - 1,
        lr: s.learningRate(progress(epoch, b)),
      });
      trainSeconds += r.seconds;
      epochSeconds += r.seconds;
      epochActive += r.activated;
      epochSeen += batch.size;
      epochScored += r.scored;
      passes += samplePasses(r.activated, r.scored);
      const bookkeeping = now();
      await settle(
        s.onBatchEnd?.(
          {
            epoch,
            epochs: s.epochs,
            batch: b,
            batches: limit,
            loss: r.loss,
            batchSize: batch.size,
            activated: r.activated,
            epochActivationRate: epochActive / epochSeen,
            gate: r.gate,
            seconds: r.seconds,
            trainSeconds,
            ...(s.budgetSeconds ? { budgetSeconds: s.budgetSeconds } : {}),
          },
          r,
        ),
      );
      engine.phases.bookkeeping += now() - bookkeeping;
      b++;
      if (s.checkpoint?.every && b % s.checkpoint.every === 0 && b < limit) await save(epoch, b);
      await yieldToEventLoop();
    }
    const v0 = now();
    const v = s.validation ? evaluate(engine.model, s.validation, s.validationBatchSize) : null;
    const record = recorder.endEpoch({
      epoch,
      valLoss: v ? v.loss : null,
      valAccuracy: v && Number.isFinite(v.accuracy) ? v.accuracy : null,
      ...(v && Number.isFinite(v.balancedAccuracy) ? { valBalancedAccuracy: v.balancedAccuracy } : {}),
      samplesScored: epochScored,
      epochSeconds,
      validationSeconds: now() - v0,
      ...(partial ? { partial: true } : {}),
      phaseSeconds: engine.takePhases(),
    });
    // The epoch is recorded: the checkpoint below starts the next one at zero seconds.
    epochSeconds = 0;
    await settle(s.onEpochEnd?.(record));
    await save(epoch + 1, 0);
  }
  if (s.partialNote) recorder.note(s.partialNote);
  if (engine.skipped > 0)
    recorder.note(`${engine.skipped} step(s) skipped for a non-finite loss or gradient`);
  if (stopped === 'budget') {
    recorder.note(
      s.budgetSeconds
        ? `stopped by the budget of ${s.budgetSeconds} training seconds`
        : `stopped by the budget of ${s.budgetSamples} sample passes`,
    );
  }
  recorder.finish();
  return result(stopped);
}
