import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { encodeWeights, WeightsFormatError } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, readCheckpoint } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The only errors a damaged checkpoint may raise. */
const documented = (e: unknown) => e instanceof CheckpointError || e instanceof WeightsFormatError;

describe('checkpoint reader fuzz', () => {
  it('random, truncated and mutated bytes give a documented error (or the .prev fallback), never a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-fuzz-'));
    const path = join(dir, 'ckpt.bin');
    const valid = tf.tidy(() =>
      encodeWeights(new Map([['model/w', tf.ones([3, 2])]]), 'sundew-checkpoint', {
        version: 1,
        fingerprint: 'x',
      }),
    );
    const attempt = async (bytes: Uint8Array) => {
      await writeFile(path, bytes);
      try {
        const cp = await readCheckpoint(path, () => {});
        if (cp) tf.dispose([...cp.tensors.values()]);
      } catch (e) {
        expect(documented(e), String(e)).toBe(true);
      }
    };
    const before = tf.memory().numTensors;
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), attempt), { seed: 1, numRuns: 150 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: valid.length }), (n) => attempt(valid.subarray(0, n))),
      { seed: 2, numRuns: 100 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, v) => {
          const copy = Uint8Array.from(valid);
          copy[at] = v;
          return attempt(copy);
        },
      ),
      { seed: 3, numRuns: 200 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
