import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { encodeWeights } from '@sundew/metrics';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  readCheckpoint,
  removeStaleCheckpointTemps,
  writeCheckpoint,
} from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { describeFingerprintMismatch } from './fingerprint.js';
import { simulateFullDisk } from './testing/full-disk.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const state = (epoch: number) => ({
  version: 1 as const,
  fingerprint: 'f',
  epoch,
  batch: 0,
  optimizerStep: 3,
  trainSeconds: 1,
  epochSeconds: 0,
  samplePasses: 0,
  skipped: 0,
  gate: null,
  scorer: null,
  metrics: {} as Checkpoint['state']['metrics'],
  buffer: null,
});

async function write(path: string, epoch: number): Promise<void> {
  const w = tf.fill([4], epoch);
  try {
    await writeCheckpoint(path, { state: state(epoch), tensors: new Map([['model/w', w]]) });
  } finally {
    w.dispose();
  }
}

async function epochOf(path: string): Promise<number> {
  const cp = await readCheckpoint(path, () => {});
  tf.dispose([...cp!.tensors.values()]);
  return cp!.state.epoch;
}

const rejection = async (p: Promise<unknown>): Promise<CheckpointError> => {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(CheckpointError);
  return e as CheckpointError;
};

describe('checkpoint files', () => {
  it('keep the newest and the previous one; nothing else is left in the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    const path = join(dir, 'c.bin');
    for (const epoch of [1, 2, 3]) await write(path, epoch);
    expect((await readdir(dir)).sort()).toEqual(['c.bin', 'c.bin.prev']);
    expect(await epochOf(path)).toBe(3);
  });

  it('on a full disk: CheckpointError "write" naming the file, no temp file, the last good one kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    const path = join(dir, 'c.bin');
    await write(path, 1);
    const restore = simulateFullDisk(dir);
    let e: CheckpointError;
    try {
      e = await rejection(write(path, 2));
    } finally {
      restore();
    }
    expect(e.code).toBe('write');
    expect(e.message).toBe(
      `${path}: cannot write the checkpoint (ENOSPC: no space left on device); the last good checkpoint is kept. ` +
        'Free some space or fix the folder, then resume from it',
    );
    expect(await readdir(dir)).toEqual(['c.bin']);
    expect(await epochOf(path)).toBe(1);
  });

  it.skipIf(!existsSync('/dev/full'))(
    'a real ENOSPC from the kernel (/dev/full) is reported the same way',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
      const path = join(dir, 'c.bin');
      await write(path, 1);
      await symlink('/dev/full', `${path}.tmp-${process.pid}`);
      const e = await rejection(write(path, 2));
      expect(e.message).toMatch(/cannot write the checkpoint \(ENOSPC: no space left on device\)/);
      expect(await readdir(dir)).toEqual(['c.bin']);
    },
  );

  it('removes the temp files of killed writers, not those of live processes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    const path = join(dir, 'c.bin');
    const dead = 2 ** 22 + 12345; // above Linux's pid_max: never a live process
    await writeFile(`${path}.tmp-${dead}`, 'half a checkpoint');
    await writeFile(`${path}.tmp-${process.pid}`, 'ours');
    await writeFile(join(dir, 'other.bin.tmp-1'), 'not ours');
    expect(await removeStaleCheckpointTemps(path)).toEqual([`${path}.tmp-${dead}`]);
    expect((await readdir(dir)).sort()).toEqual([`c.bin.tmp-${process.pid}`, 'other.bin.tmp-1']);
  });

  it('an unreadable checkpoint is a CheckpointError "read" naming the file and the reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    await mkdir(join(dir, 'c.bin'));
    const e = await rejection(readCheckpoint(join(dir, 'c.bin'), () => {}));
    expect(e.code).toBe('read');
    expect(e.message).toBe(
      `${join(dir, 'c.bin')}: cannot read the checkpoint (EISDIR: illegal operation on a directory)`,
    );
  });

  it('a sealed file that is no training checkpoint (a weights file, a damaged state) is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    const path = join(dir, 'c.bin');
    const w = tf.ones([2]);
    const before = tf.memory().numTensors;
    for (const [model, extra] of [
      ['vit-tiny', undefined],
      ['sundew-checkpoint', { ...state(1), epoch: -1 }],
      ['sundew-checkpoint', { ...state(1), fingerprint: 7 }],
      ['sundew-checkpoint', { ...state(1), metrics: null }],
    ] as const) {
      await writeFile(path, encodeWeights(new Map([['model/w', w]]), model, extra));
      const e = await rejection(readCheckpoint(path, () => {}));
      expect(e.code).toBe('corrupt');
      expect(e.message).toMatch(/not a Sundew training checkpoint .*and no usable previous checkpoint$/);
    }
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('falls back to .prev when the newest is damaged, with a warning that names both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    const path = join(dir, 'c.bin');
    await write(path, 1);
    await write(path, 2);
    const bytes = await readFile(path);
    bytes[20]! ^= 0xff;
    await writeFile(path, bytes);
    const warnings: string[] = [];
    const cp = await readCheckpoint(path, (w) => warnings.push(w));
    expect(cp!.state.epoch).toBe(1);
    tf.dispose([...cp!.tensors.values()]);
    expect(warnings).toEqual([
      `${path}: checksum mismatch: the file is truncated or corrupt; resuming from the previous checkpoint ${path}.prev`,
    ]);
  });
});

describe('describeFingerprintMismatch', () => {
  it('names each field that differs, with both values', () => {
    const a = JSON.stringify({ model: 'vit-tiny', variables: [[2, 3], [3]], batchSize: 32, seed: 0 });
    const b = JSON.stringify({ model: 'vit-reference', variables: [[4, 4]], batchSize: 16, seed: 0 });
    expect(describeFingerprintMismatch(a, b)).toBe(
      'model "vit-tiny" in the checkpoint, "vit-reference" now; variables 2 variables, 9 parameters in the checkpoint, ' +
        '1 variables, 16 parameters now; batchSize 32 in the checkpoint, 16 now',
    );
  });
});
