import { MetricsRecorder, validateRunMetrics } from '@sundew/metrics';
import type { JsonObject, RunMetrics, SampleDataset } from '@sundew/types';
import * as tf from '@tensorflow/tfjs-core';
import { type Checkpoint, writeCheckpoint } from './checkpoint.js';
import type { StepEngine } from './engine.js';
import { CheckpointError } from './errors.js';
import { describeFingerprintMismatch } from './fingerprint.js';

/** Where a run stands between two batches: what a checkpoint holds besides the engine. */
export interface RunPosition {
  /** Next batch to run. */
  epoch: number;
  batch: number;
  trainSeconds: number;
  /** Training seconds of the open epoch so far. */
  epochSeconds: number;
  /** Sample passes so far: trained samples + ⅓ of the forward-only scored ones. */
  samplePasses: number;
  recorder: MetricsRecorder;
}

/** Write the whole run (model weights, optimizer, engine, position, metrics) to `path`. */
export async function saveRun(
  path: string,
  fingerprint: string,
  engine: StepEngine,
  at: RunPosition,
): Promise<void> {
  const tensors = new Map<string, tf.Tensor>();
  const { state, tensors: engineTensors } = engine.state();
  try {
    for (const [name, t] of engine.model.getWeights()) tensors.set(`model/${name}`, t);
    for (const [name, t] of await engine.optimizer.saveState()) tensors.set(name, t);
    for (const [name, t] of engineTensors) tensors.set(name, t);
    await writeCheckpoint(path, {
      state: {
        version: 1,
        fingerprint,
        epoch: at.epoch,
        batch: at.batch,
        optimizerStep: engine.optimizer.step,
        trainSeconds: at.trainSeconds,
        epochSeconds: at.epochSeconds,
        samplePasses: at.samplePasses,
        skipped: state.skipped,
        gate: state.gate,
        scorer: state.scorer,
        metrics: at.recorder.toJSON() as RunMetrics & JsonObject,
        buffer: state.buffer,
      },
      tensors,
    });
  } finally {
    tf.dispose([...tensors.values(), ...engineTensors.values()]);
  }
}

/**
 * Restore a run from a checkpoint into `engine` and return its position; a
 * checkpoint of another run or one that does not fit throws `CheckpointError`
 * (code `mismatch`). The checkpoint's tensors are disposed.
 */
export async function restoreRun(
  path: string,
  cp: Checkpoint,
  fingerprint: string,
  engine: StepEngine,
  shapes: Pick<SampleDataset, 'xShape' | 'yShape' | 'xDtype' | 'yDtype'>,
): Promise<RunPosition> {
  try {
    if (cp.state.fingerprint !== fingerprint) {
      throw new CheckpointError(
        'mismatch',
        `${path}: checkpoint of another model, configuration or dataset ` +
          `(${describeFingerprintMismatch(cp.state.fingerprint, fingerprint)}); ` +
          'resume with the settings it was written with, or train into another folder',
        path,
      );
    }
    const weights = new Map<string, tf.Tensor>();
    const moments = new Map<string, tf.Tensor>();
    for (const [name, t] of cp.tensors) {
      if (name.startsWith('model/')) weights.set(name.slice(6), t);
      else if (engine.optimizer.owns(name)) moments.set(name, t);
    }
    engine.model.setWeights(weights);
    await engine.optimizer.restoreState(moments, cp.state.optimizerStep);
    engine.restore(cp.state, cp.tensors, shapes);
    // JSON stored NaN (a batch without a step) as null; the metrics reader turns it back.
    const recorder = MetricsRecorder.fromJSON(validateRunMetrics(cp.state.metrics, path));
    return {
      epoch: cp.state.epoch,
      batch: cp.state.batch,
      trainSeconds: cp.state.trainSeconds,
      epochSeconds: cp.state.epochSeconds,
      samplePasses: (cp.state.samplePasses as number | undefined) ?? 0,
      recorder,
    };
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(
      'mismatch',
      `${path}: the checkpoint does not fit this run: ${(error as Error).message}`,
      path,
    );
  } finally {
    tf.dispose([...cp.tensors.values()]);
  }
}
