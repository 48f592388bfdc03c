import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { makeSyntheticDataset } from '@sundew/data';
import { SundewGate } from '@sundew/gate';
import { createScorer } from '@sundew/significance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, type TrainOptions, train } from './index.js';
import { simulateFullDisk } from './testing/full-disk.js';
import { TinyMlp } from './testing/mlp.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

const data = makeSyntheticDataset({ count: 250, shape: [4, 4, 1], numClasses: 4, seed: 1, noise: 0.2 });
const test = makeSyntheticDataset({ count: 64, shape: [4, 4, 1], numClasses: 4, seed: 2, noise: 0.2 });

function options(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    model: overrides.model ?? new TinyMlp([4, 4, 1], 4, 16, 7),
    train: data,
    validation: test,
    epochs: 3,
    batchSize: 32,
    lr: 0.02,
    seed: 3,
    scorer: createScorer('stale-loss-percentile', { datasetSize: 250 }),
    gate: new SundewGate({ targetActivationRate: 0.3, seed: 2 }),
    ...overrides,
  };
}

const trace = (r: Awaited<ReturnType<typeof train>>) =>
  r.metrics.batches.map((b) => [b.epoch, b.batch, b.loss, b.activated, b.threshold]);

const failure = async (p: Promise<unknown>): Promise<CheckpointError> => {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(CheckpointError);
  return e as CheckpointError;
};

describe('train under faults', () => {
  it('a disk that fills up mid-run stops with CheckpointError; after space is freed the resumed run equals an uninterrupted one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-full-'));
    const path = join(dir, 'ckpt.bin');
    const uninterrupted = await train(options());
    let restore: (() => void) | null = null;
    const e = await failure(
      train(
        options({
          checkpoint: { path, every: 2 },
          onBatchEnd: (b) => {
            if (b.epoch === 1 && b.batch === 4) restore = simulateFullDisk(dir);
          },
        }),
      ),
    ).finally(() => (restore as (() => void) | null)?.());
    expect(e.code).toBe('write');
    expect(e.message).toMatch(/ckpt\.bin: cannot write the checkpoint \(ENOSPC: no space left on device\)/);
    expect((await readdir(dir)).sort()).toEqual(['ckpt.bin', 'ckpt.bin.prev']);
    const resumed = await train(
      options({ model: new TinyMlp([4, 4, 1], 4, 16, 99), checkpoint: { path, resume: true } }),
    );
    expect(resumed.resumedFrom).toEqual({ epoch: 1, batch: 4 });
    expect(trace(resumed)).toEqual(trace(uninterrupted));
    expect(resumed.metrics.epochs.map((x) => x.valAccuracy)).toEqual(
      uninterrupted.metrics.epochs.map((x) => x.valAccuracy),
    );
  });

  it('counts steps skipped for a NaN loss across a resume', async () => {
    // NaN whenever the gathered step batch is the short last one (250 = 7·32 + 26): one skip per epoch.
    const nanOnShortBatch = (seed: number) => {
      const model = new TinyMlp([4, 4, 1], 4, 16, seed);
      const apply = model.apply.bind(model);
      model.apply = (x, o) =>
        tf.tidy(() => (o.training && x.shape[0] === 26 ? tf.mul(apply(x, o), Number.NaN) : apply(x, o)));
      return model;
    };
    const dir = await mkdtemp(join(tmpdir(), 'sundew-nan-'));
    const path = join(dir, 'ckpt.bin');
    const base = { mode: 'full' as const, onNonFinite: 'skip' as const };
    const whole = await train(options({ ...base, model: nanOnShortBatch(7) }));
    expect(whole.metrics.notes).toContain('3 step(s) skipped for a non-finite loss or gradient');
    const controller = new AbortController();
    await train(
      options({
        ...base,
        model: nanOnShortBatch(7),
        checkpoint: { path },
        signal: controller.signal,
        onBatchEnd: (b) => b.epoch === 1 && b.batch === 2 && controller.abort(),
      }),
    );
    const resumed = await train(
      options({ ...base, model: nanOnShortBatch(7), checkpoint: { path, resume: true } }),
    );
    expect(resumed.metrics.notes).toEqual(whole.metrics.notes);
  });

  it('refuses a checkpoint of another gate config, scorer or dataset, naming what differs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-other-'));
    const path = join(dir, 'ckpt.bin');
    await train(options({ epochs: 1, checkpoint: { path } }));
    const resume = { checkpoint: { path, resume: true } };
    const gate = await failure(
      train(options({ ...resume, gate: new SundewGate({ targetActivationRate: 0.1, seed: 2 }) })),
    );
    expect(gate.code).toBe('mismatch');
    expect(gate.message).toBe(
      `${path}: the checkpoint does not fit this run: SundewGate.restore: the state was saved by a gate with another config; construct the gate with the same config first`,
    );
    const scorer = await failure(train(options({ ...resume, scorer: createScorer('random', { seed: 1 }) })));
    expect(scorer.message).toMatch(
      /checkpoint of another model, configuration or dataset \(scorer "loss-percentile" in the checkpoint, "random" now\)/,
    );
    const fewer = makeSyntheticDataset({ count: 200, shape: [4, 4, 1], numClasses: 4, seed: 1 });
    const samples = await failure(train(options({ ...resume, train: fewer })));
    expect(samples.message).toMatch(
      /\(samples 250 in the checkpoint, 200 now\); resume with the settings it was written with/,
    );
  });

  it('says when --resume finds no checkpoint, and removes the temp file of a killed writer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-fresh-'));
    const path = join(dir, 'ckpt.bin');
    const dead = 2 ** 22 + 7; // above Linux's pid_max
    await writeFile(`${path}.tmp-${dead}`, 'half a checkpoint');
    const log: string[] = [];
    await train(options({ epochs: 1, checkpoint: { path, resume: true }, log: (l) => log.push(l) }));
    expect(log).toEqual([
      `removed ${path}.tmp-${dead}, an unfinished checkpoint left by a killed run`,
      `no checkpoint at ${path} yet: starting from the beginning`,
    ]);
    expect((await readdir(dir)).sort()).toEqual(['ckpt.bin']);
  });
});
