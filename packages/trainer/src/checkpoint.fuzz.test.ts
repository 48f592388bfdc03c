import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { encodeWeights, WeightsFormatError } from '@sundew/metrics';
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

describe('resume fuzz: a sealed checkpoint of this run with one state field replaced', () => {
  it('resumes or throws CheckpointError, never anything else, and leaks no tensor', async () => {
    const { makeSyntheticDataset } = await import('@sundew/data');
    const { SundewGate } = await import('@sundew/gate');
    const { createScorer } = await import('@sundew/significance');
    const { train } = await import('./trainer.js');
    const { TinyMlp } = await import('./testing/mlp.js');
    const { readFile } = await import('node:fs/promises');
    const { decodeWeights } = await import('@sundew/vit');
    const data = makeSyntheticDataset({ count: 48, shape: [2, 2, 1], numClasses: 2, seed: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'sundew-fuzz-'));
    const path = join(dir, 'ckpt.bin');
    const run = async (resume: boolean) => {
      const model = new TinyMlp([2, 2, 1], 2, 4, 1);
      try {
        return await train({
          model,
          train: data,
          validation: data,
          epochs: 2,
          batchSize: 16,
          scorer: createScorer('stale-loss', { datasetSize: 48 }),
          gate: new SundewGate({ targetActivationRate: 0.3, seed: 1 }),
          selection: 'buffered',
          checkpoint: { path, resume },
          maxBatchesPerEpoch: 2,
        });
      } finally {
        model.dispose();
      }
    };
    await run(false);
    const before = tf.memory().numTensors;
    const good = decodeWeights(await readFile(path));
    const state = good.extra as Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'epoch',
          'batch',
          'optimizerStep',
          'trainSeconds',
          'epochSeconds',
          'skipped',
          'gate',
          'scorer',
          'metrics',
          'buffer',
        ),
        fc.jsonValue({ maxDepth: 2 }),
        async (field, value) => {
          await writeFile(
            path,
            encodeWeights(good.weights, 'sundew-checkpoint', { ...state, [field]: value }),
          );
          try {
            await run(true);
          } catch (e) {
            expect(e, String(e)).toBeInstanceOf(CheckpointError);
          }
        },
      ),
      { seed: 5, numRuns: 120 },
    );
    tf.dispose([...good.weights.values()]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
