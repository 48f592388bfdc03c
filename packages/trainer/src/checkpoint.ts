import { open, readFile, rename, unlink } from 'node:fs/promises';
import type { JsonObject, Model, RunMetrics } from '@sundew/types';
import { decodeWeights, encodeWeights } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './errors.js';

/** Everything besides tensors that a checkpoint holds. */
export interface CheckpointState extends JsonObject {
  version: 1;
  /** Model name, variable shapes and the options that must match to resume. */
  fingerprint: string;
  /** Next batch to run. */
  epoch: number;
  batch: number;
  optimizerStep: number;
  trainSeconds: number;
  /** Training seconds of the open epoch so far. */
  epochSeconds: number;
  gate: JsonObject | null;
  scorer: JsonObject | null;
  metrics: RunMetrics & JsonObject;
  buffer: { labels: number[]; indices: number[]; weights: number[] } | null;
}

/** What a checkpoint restores. */
export interface Checkpoint {
  state: CheckpointState;
  /** Model weights by variable index (`model.N`), optimizer moments (`adamw.*`), buffer images. */
  tensors: Map<string, tf.Tensor>;
}

/** Model name and variable shapes, plus options that change the meaning of a checkpoint. */
export function modelFingerprint(model: Model, extra: JsonObject): string {
  return JSON.stringify({
    model: model.name,
    variables: model.trainableVariables().map((v) => v.shape),
    ...extra,
  });
}

/**
 * Write a checkpoint atomically: temp file, fsync, then the current file
 * becomes `<path>.prev` and the temp file takes its place. A crash at any point
 * leaves a complete checkpoint at `path` or `path.prev`.
 */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const bytes = encodeWeights(checkpoint.tensors, 'sundew-checkpoint', checkpoint.state);
  const tmp = `${path}.tmp-${process.pid}`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(path, `${path}.prev`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await unlink(tmp).catch(() => {});
      throw error;
    }
  }
  await rename(tmp, path);
}

function decode(bytes: Uint8Array, source: string): Checkpoint {
  const { model, weights, extra } = decodeWeights(bytes, source);
  const state = extra as CheckpointState | undefined;
  if (model !== 'sundew-checkpoint' || state?.version !== 1) {
    tf.dispose([...weights.values()]);
    throw new CheckpointError(`${source}: not a Sundew training checkpoint (a weights file?)`);
  }
  return { state, tensors: weights };
}

/**
 * Read the checkpoint at `path`; when it is corrupt, fall back to `<path>.prev`
 * and say so through `warn`. Returns null when neither exists.
 */
export async function readCheckpoint(
  path: string,
  warn: (message: string) => void,
): Promise<Checkpoint | null> {
  let firstError: Error | null = null;
  for (const candidate of [path, `${path}.prev`]) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    try {
      const checkpoint = decode(bytes, candidate);
      if (firstError) warn(`${firstError.message}; resuming from the previous checkpoint ${candidate}`);
      return checkpoint;
    } catch (error) {
      firstError ??= error as Error;
    }
  }
  if (firstError) throw new CheckpointError(`${firstError.message}, and no usable previous checkpoint`);
  return null;
}
