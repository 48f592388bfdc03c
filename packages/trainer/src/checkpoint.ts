import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodeWeightValues, encodeWeights } from '@sundew/metrics';
import type { JsonObject, RunMetrics } from '@sundew/types';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './errors.js';

export { modelFingerprint } from './fingerprint.js';

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
  /** Sample passes so far (what `budgetSamples` counts); checkpoints written before it was kept read as 0. */
  samplePasses: number;
  /** Steps skipped so far for a non-finite loss or gradient. */
  skipped: number;
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

/** `ENOSPC: no space left on device` from a Node file-system error. */
const reason = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.message.split(',')[0]}` : String(error);
};

/** Flush a folder's entries (the renames) to disk where the platform allows it. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  await handle?.sync().catch(() => {});
  await handle?.close().catch(() => {});
}

/**
 * Write a checkpoint atomically: temp file, fsync, then the current file
 * becomes `<path>.prev` and the temp file takes its place. A crash at any point
 * leaves a complete checkpoint at `path` or `path.prev`. A failed write (a full
 * disk, say) removes its temp file and throws `CheckpointError` (code `write`);
 * the checkpoints already on disk are untouched.
 */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const bytes = encodeWeights(checkpoint.tensors, 'sundew-checkpoint', checkpoint.state);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
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
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw new CheckpointError(
      'write',
      `${path}: cannot write the checkpoint (${reason(error)}); the last good checkpoint is kept. ` +
        'Free some space or fix the folder, then resume from it',
      path,
    );
  }
  await syncFolder(dirname(path));
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Remove the temp files (`<path>.tmp-<pid>`) that a killed writer left behind;
 * those of live processes stay. Returns the files removed.
 */
export async function removeStaleCheckpointTemps(path: string): Promise<string[]> {
  const prefix = `${basename(path)}.tmp-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const suffix = name.startsWith(prefix) ? name.slice(prefix.length) : '';
    const pid = Number(suffix);
    if (!/^\d+$/.test(suffix) || pid === process.pid || isAlive(pid)) continue;
    const file = join(dirname(path), name);
    await unlink(file).then(
      () => removed.push(file),
      () => {},
    );
  }
  return removed;
}

const count = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const seconds = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function decode(bytes: Uint8Array, source: string): Checkpoint {
  const { model, values, extra } = decodeWeightValues(bytes, source);
  const s = extra as Partial<CheckpointState> | undefined;
  const valid =
    model === 'sundew-checkpoint' &&
    s?.version === 1 &&
    typeof s.fingerprint === 'string' &&
    [s.epoch, s.batch, s.optimizerStep].every(count) &&
    [s.trainSeconds, s.epochSeconds].every(seconds) &&
    (s.samplePasses === undefined || seconds(s.samplePasses)) &&
    (s.skipped === undefined || count(s.skipped)) &&
    typeof s.metrics === 'object' &&
    s.metrics !== null;
  if (!valid) {
    throw new CheckpointError(
      'corrupt',
      `${source}: not a Sundew training checkpoint (a weights file, or one of another version?)`,
      source,
    );
  }
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, t] of values) tensors.set(name, tf.tensor(t.values, t.shape, 'float32'));
  return { state: s as CheckpointState, tensors };
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
      throw new CheckpointError(
        'read',
        `${candidate}: cannot read the checkpoint (${reason(error)})`,
        candidate,
      );
    }
    try {
      const checkpoint = decode(bytes, candidate);
      if (firstError) warn(`${firstError.message}; resuming from the previous checkpoint ${candidate}`);
      return checkpoint;
    } catch (error) {
      firstError ??= error as Error;
    }
  }
  if (firstError) {
    throw new CheckpointError('corrupt', `${firstError.message}, and no usable previous checkpoint`, path);
  }
  return null;
}
