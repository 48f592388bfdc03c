import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRunMetrics } from '@sundew/metrics';
import { readCheckpoint } from '@sundew/trainer';
import type { RunMetrics } from '@sundew/types';
import * as tf from '@tensorflow/tfjs-core';

/** What a run folder holds after a kill. */
export interface FolderCheck {
  /** Checkpoint and metrics files found, each of which parsed and verified. */
  verified: string[];
  /** Temp files of a write the kill interrupted (allowed; the next run removes them). */
  temps: string[];
}

/** Files every `sundew train` output folder may hold. */
const KNOWN = /^(checkpoint\.bin(\.prev)?|metrics\.json|epochs\.csv|batches\.csv)$/;
const TEMP = /^(checkpoint\.bin\.tmp-\d+|(metrics\.json|epochs\.csv|batches\.csv)\.\d+)$/;

/**
 * Every checkpoint and metrics file in `dir` must parse and verify on its own
 * (no fallback to `.prev`, no warning); anything else must be a temp file of
 * an interrupted write. Throws with the file named otherwise.
 */
export async function checkRunFolder(dir: string): Promise<FolderCheck> {
  const names = existsSync(dir) ? await readdir(dir) : [];
  const verified: string[] = [];
  const temps: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if (TEMP.test(name)) {
      temps.push(name);
      continue;
    }
    if (!KNOWN.test(name)) throw new Error(`${file}: unexpected file in a run folder`);
    if (name.startsWith('checkpoint.bin')) {
      const warnings: string[] = [];
      // A fallback to `.prev` would show as a warning: each file must verify on its own.
      const checkpoint = await readCheckpoint(file, (w) => warnings.push(w));
      if (!checkpoint || warnings.length > 0)
        throw new Error(`${file}: did not verify (${warnings.join('; ')})`);
      tf.dispose([...checkpoint.tensors.values()]);
    } else if (name === 'metrics.json') {
      await readRunMetrics(file);
    } else if ((await readFile(file, 'utf8')).split('\n')[0]!.split(',').length < 2) {
      throw new Error(`${file}: not a CSV with a header`);
    }
    verified.push(name);
  }
  return { verified, temps };
}

/** Batches a run folder's newest usable checkpoint has done (0 without one). */
export async function batchesDone(dir: string, batchesPerEpoch: number): Promise<number> {
  const checkpoint = await readCheckpoint(join(dir, 'checkpoint.bin'), () => {}).catch(() => null);
  if (!checkpoint) return 0;
  tf.dispose([...checkpoint.tensors.values()]);
  return checkpoint.state.epoch * batchesPerEpoch + checkpoint.state.batch;
}

/** The final weights, optimizer moments and state of a finished run's checkpoint. */
export async function finalState(dir: string): Promise<{ tensors: Map<string, number[]>; state: unknown }> {
  const checkpoint = await readCheckpoint(join(dir, 'checkpoint.bin'), () => {});
  if (!checkpoint) throw new Error(`${dir}: no checkpoint`);
  const tensors = new Map([...checkpoint.tensors].map(([k, t]) => [k, [...t.dataSync()]]));
  tf.dispose([...checkpoint.tensors.values()]);
  const { trainSeconds: _t, epochSeconds: _e, metrics: _m, ...state } = checkpoint.state;
  return { tensors, state };
}

/**
 * A run's metrics without what a clock measured (seconds, timestamps) and
 * without its output folder: what must be equal across resumes.
 */
export async function comparableMetrics(dir: string): Promise<unknown> {
  const m: RunMetrics = await readRunMetrics(join(dir, 'metrics.json'));
  const { startedAt: _s, finishedAt: _f, ...run } = m.run;
  const { out: _o, ...config } = run.config;
  return {
    ...m,
    run: { ...run, config },
    batches: m.batches.map(({ stepSeconds: _x, ...b }) => b),
    epochs: m.epochs.map(
      ({ epochSeconds: _a, validationSeconds: _b, elapsedSeconds: _c, phaseSeconds: _d, ...e }) => e,
    ),
  };
}
