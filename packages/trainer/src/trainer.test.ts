import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { makeSyntheticDataset } from '@sundew/data';
import { SundewGate, TopKGate } from '@sundew/gate';
import { createScorer } from '@sundew/significance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  NonFiniteLossError,
  TrainerConfigError,
  type TrainOptions,
  train,
} from './index.js';
import { TinyMlp } from './testing/mlp.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

const data = makeSyntheticDataset({ count: 256, shape: [4, 4, 1], numClasses: 4, seed: 1, noise: 0.2 });
const test = makeSyntheticDataset({ count: 64, shape: [4, 4, 1], numClasses: 4, seed: 1, noise: 0.2 });

function base(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    model: overrides.model ?? new TinyMlp([4, 4, 1], 4),
    train: data,
    validation: test,
    epochs: 2,
    batchSize: 32,
    lr: 0.02,
    seed: 3,
    scorer: createScorer('loss-percentile'),
    gate: new SundewGate({ targetActivationRate: 0.25, seed: 1 }),
    ...overrides,
  };
}

describe('train', () => {
  it('full mode learns the synthetic task', async () => {
    const { metrics } = await train(base({ mode: 'full', epochs: 4 }));
    const [first, , , last] = metrics.epochs;
    expect(last!.trainLoss).toBeLessThan(first!.trainLoss);
    expect(last!.valAccuracy).toBeGreaterThan(0.8);
    expect(last!.activationRate).toBe(1);
    expect(last!.energySavedPercent).toBe(0);
  });

  it('the fallback (no sample chosen → 2 at random) books its samples as trained in the modeled energy', async () => {
    const model = new TinyMlp([4, 4, 1], 4);
    // A gate that never picks a sample: every batch is the fallback's.
    const { metrics } = await train(
      base({ model, batchSize: 1, gate: new TopKGate({ rate: 0.01 }), epochs: 1 }),
    );
    expect(model.trainingBatchSizes.every((n) => n === 1)).toBe(true);
    expect(metrics.epochs[0]!.activationRate).toBe(1);
    // Before: "activation 100.0 %, energy saved 99 %" (the gate's skips); every sample was trained.
    expect(metrics.epochs[0]!.energySavedPercent).toBeCloseTo(0, 9);
    const at8 = await train(base({ batchSize: 8, gate: new TopKGate({ rate: 0.01 }), epochs: 1 }));
    const rate = at8.metrics.epochs[0]!.activationRate;
    expect(rate).toBeGreaterThan(0.1);
    expect(at8.metrics.epochs[0]!.energySavedPercent).toBeLessThanOrEqual(100 * (1 - rate) + 1e-9);
  });

  it('sparse mode trains only on the active samples, in one gathered batch per incoming batch', async () => {
    const model = new TinyMlp([4, 4, 1], 4);
    const { metrics } = await train(base({ model, gate: new TopKGate({ rate: 0.25 }), epochs: 1 }));
    expect(model.trainingBatchSizes).toEqual(new Array(8).fill(8));
    expect(metrics.epochs[0]!.activationRate).toBe(0.25);
    expect(metrics.batches).toHaveLength(8);
    expect(metrics.epochs[0]!.energySavedPercent).toBeGreaterThan(70);
  });

  it('sparse mode with the Sundew gate learns and holds the rate near target', async () => {
    const { metrics } = await train(base({ epochs: 6 }));
    const last = metrics.epochs.at(-1)!;
    expect(last.valAccuracy).toBeGreaterThan(0.7);
    expect(Math.abs(last.activationRate / 0.25 - 1)).toBeLessThan(0.3);
  });

  it('records where the seconds of each epoch went: a forward scorer pays scoring, stale losses do not', async () => {
    const fresh = (await train(base({ epochs: 1 }))).metrics.epochs[0]!;
    const stale = (await train(base({ epochs: 1, scorer: createScorer('stale-loss', { datasetSize: 256 }) })))
      .metrics.epochs[0]!;
    for (const e of [fresh, stale]) {
      const p = e.phaseSeconds!;
      expect(p.training).toBeGreaterThan(0);
      expect(p.selection).toBeGreaterThan(0);
      expect(p.bookkeeping).toBeGreaterThan(0);
      // Training seconds are the batches' seconds: the phases inside them cannot exceed them.
      expect(p.scoring + p.selection + p.training).toBeLessThanOrEqual(e.epochSeconds + 1e-6);
    }
    expect(fresh.phaseSeconds!.scoring).toBeGreaterThan(10 * stale.phaseSeconds!.scoring);
  });

  it('buffered selection steps on full-size batches', async () => {
    const model = new TinyMlp([4, 4, 1], 4);
    await train(base({ model, gate: new TopKGate({ rate: 0.5 }), epochs: 1, selection: 'buffered' }));
    expect(model.trainingBatchSizes).toEqual([32, 32, 32, 32]);
  });

  it('falls back to 2 random samples when nothing is active', async () => {
    const model = new TinyMlp([4, 4, 1], 4);
    const never = {
      ...new TopKGate({ rate: 0.1 }),
      name: 'never',
      decide: (s: Float32Array) => new Uint8Array(s.length),
    };
    const gate = Object.assign(Object.create(TopKGate.prototype), new TopKGate({ rate: 0.1 }), never);
    const { metrics } = await train(base({ model, gate, epochs: 1 }));
    expect(model.trainingBatchSizes.every((n) => n >= 1 && n <= 2)).toBe(true);
    expect(metrics.batches.every((b) => b.activated >= 1 && b.activated <= 2)).toBe(true);
  });

  it('sample mode takes one sample per step on a limited number of batches and says so', async () => {
    const model = new TinyMlp([4, 4, 1], 4);
    const { metrics } = await train(base({ model, mode: 'sample', epochs: 1, maxBatchesPerEpoch: 2 }));
    expect(model.trainingBatchSizes.every((n) => n === 1)).toBe(true);
    expect(metrics.batches).toHaveLength(2);
    expect(metrics.epochs[0]!.partial).toBe(true);
    expect(metrics.notes.join()).toMatch(/timed on 2 of 8 batches/);
  });

  it('micro-batching gives the same step as one big batch', async () => {
    const a = await train(base({ mode: 'full', epochs: 1, seed: 5 }));
    const b = await train(base({ mode: 'full', epochs: 1, seed: 5, microBatchSize: 8 }));
    a.metrics.batches.forEach((x, i) => expect(b.metrics.batches[i]!.loss).toBeCloseTo(x.loss, 4));
  });

  it('keeps tf.memory().numTensors flat over hundreds of steps', async () => {
    const model = new TinyMlp([4, 4, 1], 4);
    const big = makeSyntheticDataset({ count: 1600, shape: [4, 4, 1], numClasses: 4, seed: 2 });
    let before = 0;
    let after = 0;
    await train(
      base({
        model,
        train: big,
        validation: null,
        batchSize: 8,
        epochs: 1,
        onBatchEnd: (e) => {
          if (e.batch === 10) before = tf.memory().numTensors;
          if (e.batch === 199) after = tf.memory().numTensors;
        },
      }),
    );
    expect(before).toBeGreaterThan(0);
    expect(after).toBe(before);
  });

  it('leaves no tensor behind once the run is over and the model disposed', async () => {
    const before = tf.memory().numTensors;
    const model = new TinyMlp([4, 4, 1], 4);
    await train(base({ model, epochs: 1, selection: 'buffered' }));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops on a NaN loss before touching the weights, naming epoch and batch', async () => {
    const model = new TinyMlp([4, 4, 1], 4);
    const poisoned = { ...data, images: data.images.slice() };
    const before = model.trainableVariables().map((v) => v.dataSync().slice());
    const nanModel = Object.assign(Object.create(Object.getPrototypeOf(model)), model, {
      apply: (x: tf.Tensor4D, o: { training: boolean }) =>
        tf.tidy(() => tf.mul(model.apply(x, o), o.training ? Number.NaN : 1) as tf.Tensor2D),
    });
    await expect(train(base({ model: nanModel, train: poisoned, mode: 'full', epochs: 1 }))).rejects.toThrow(
      NonFiniteLossError,
    );
    await expect(train(base({ model: nanModel, mode: 'full', epochs: 1 }))).rejects.toThrow(
      /epoch 1, batch 1/,
    );
    model.trainableVariables().forEach((v, i) => expect(v.dataSync()).toEqual(before[i]));
    const skipped = await train(base({ model: nanModel, mode: 'full', epochs: 1, onNonFinite: 'skip' }));
    expect(skipped.metrics.notes.join()).toMatch(/8 step\(s\) skipped/);
  });

  it('stops at the wall-clock budget, validates and marks the epoch partial', async () => {
    const { metrics, stopped } = await train(base({ mode: 'full', epochs: 50, budgetSeconds: 0.05 }));
    expect(stopped).toBe('budget');
    expect(metrics.epochs.at(-1)!.partial).toBe(true);
    expect(metrics.epochs.at(-1)!.valAccuracy).not.toBeNull();
    expect(metrics.epochs.length).toBeLessThan(50);
  });

  it('stops at a budget of sample passes: trained samples plus a third of the forward-only scored ones', async () => {
    const full = await train(base({ mode: 'full', epochs: 50, budgetSamples: 600 }));
    expect(full.stopped).toBe('budget');
    // 256 per epoch in batches of 32: the run stops at the first batch boundary at or past 600.
    const trained = full.metrics.epochs.reduce((s, e) => s + e.samplesProcessed, 0);
    expect(trained).toBe(608);
    expect(full.metrics.epochs.every((e) => e.samplesScored === 0)).toBe(true);
    expect(full.metrics.notes.join()).toMatch(/budget of 600 sample passes/);
    // A scorer with a forward pays ⅓ pass per scored sample: fewer samples trained for the same budget.
    const ast = await train(base({ epochs: 50, budgetSamples: 600 }));
    const epochs = ast.metrics.epochs;
    const astTrained = epochs.reduce((s, e) => s + e.samplesProcessed, 0);
    const scored = epochs.reduce((s, e) => s + (e.samplesScored ?? 0), 0);
    expect(scored).toBe(epochs.reduce((s, e) => s + e.samplesProcessed + e.samplesSkipped, 0));
    expect(astTrained + scored / 3).toBeGreaterThanOrEqual(600);
    expect(astTrained + scored / 3).toBeLessThan(600 + 32 + 32 / 3);
    await expect(train(base({ budgetSamples: 600, budgetSeconds: 1 }))).rejects.toThrow(
      'budgetSeconds and budgetSamples are two budgets for one run; pass one of them',
    );
  });

  it('records the balanced accuracy: the mean of the per-class recalls', async () => {
    const { metrics } = await train(base({ mode: 'full', epochs: 1 }));
    const e = metrics.epochs[0]!;
    expect(e.valBalancedAccuracy).toBeGreaterThanOrEqual(0);
    expect(e.valBalancedAccuracy).toBeLessThanOrEqual(1);
    // A balanced test set: within a few points of plain accuracy (each class holds about 16 of 64).
    expect(Math.abs(e.valBalancedAccuracy! - e.valAccuracy!)).toBeLessThan(0.1);
  });

  it('resuming from a checkpoint reproduces the uninterrupted run exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    const run = (overrides: Partial<TrainOptions>) =>
      train(
        base({
          model: new TinyMlp([4, 4, 1], 4, 16, 7),
          scorer: createScorer('stale-loss-percentile', { datasetSize: 256 }),
          gate: new SundewGate({ targetActivationRate: 0.3, seed: 2 }),
          selection: 'buffered',
          epochs: 3,
          ...overrides,
        }),
      );
    const full = await run({});
    const controller = new AbortController();
    const path = join(dir, 'ckpt.bin');
    const first = await run({
      checkpoint: { path },
      signal: controller.signal,
      onBatchEnd: (e) => {
        if (e.epoch === 1 && e.batch === 4) controller.abort();
      },
    });
    expect(first.stopped).toBe('aborted');
    const model = new TinyMlp([4, 4, 1], 4, 16, 99);
    const resumed = await run({ model, checkpoint: { path, resume: true } });
    expect(resumed.resumedFrom).toEqual({ epoch: 1, batch: 5 });
    expect(resumed.metrics.batches.map((b) => [b.loss, b.activated, b.threshold])).toEqual(
      full.metrics.batches.map((b) => [b.loss, b.activated, b.threshold]),
    );
    expect(resumed.metrics.epochs.map((e) => e.valAccuracy)).toEqual(
      full.metrics.epochs.map((e) => e.valAccuracy),
    );
  });

  it('a run resumed at an epoch boundary counts the seconds of each epoch once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    const path = join(dir, 'ckpt.bin');
    await train(base({ mode: 'full', epochs: 2, checkpoint: { path } }));
    const r = await train(base({ mode: 'full', epochs: 3, checkpoint: { path, resume: true } }));
    expect(r.resumedFrom).toEqual({ epoch: 2, batch: 0 });
    // Each epoch's seconds are the steps' seconds of that epoch, so the budget sees the time trained.
    for (const e of r.metrics.epochs) {
      const steps = r.metrics.batches
        .filter((b) => b.epoch === e.epoch)
        .reduce((a, b) => a + b.stepSeconds, 0);
      expect(e.epochSeconds).toBeCloseTo(steps, 9);
    }
  });

  it('falls back to the previous checkpoint when the newest is corrupt, and rejects another model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-ckpt-'));
    const path = join(dir, 'ckpt.bin');
    await train(base({ mode: 'full', epochs: 2, checkpoint: { path } }));
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 7));
    const warnings: string[] = [];
    const r = await train(
      base({ mode: 'full', epochs: 2, checkpoint: { path, resume: true }, log: (l) => warnings.push(l) }),
    );
    expect(warnings.join()).toMatch(/checksum mismatch.*previous checkpoint/);
    expect(r.resumedFrom).toEqual({ epoch: 1, batch: 0 });
    await expect(
      train(
        base({
          model: new TinyMlp([4, 4, 1], 4, 8),
          mode: 'full',
          epochs: 2,
          checkpoint: { path, resume: true },
        }),
      ),
    ).rejects.toThrow(CheckpointError);
  });

  it('rejects impossible options with the option named', async () => {
    await expect(train(base({ epochs: 0 }))).rejects.toThrow(/epochs must be an integer ≥ 1; received 0/);
    await expect(train({ ...base(), gate: undefined as never })).rejects.toThrow(/needs a scorer and a gate/);
    await expect(train(base({ model: new TinyMlp([8, 8, 1], 4) }))).rejects.toThrow(TrainerConfigError);
    await expect(train(base({ model: new TinyMlp([8, 8, 1], 4) }))).rejects.toThrow(
      /takes 8×8×1 images but the train set synthetic has 4×4×1/,
    );
  });
});

describe('train with the real packages composed', () => {
  it('trains a small ViT with the Sundew gate and the batch-relative scorer', async () => {
    const { createViT } = await import('@sundew/vit');
    const images = makeSyntheticDataset({ count: 128, shape: [8, 8, 1], numClasses: 4, seed: 4 });
    const model = createViT({
      imageSize: [8, 8],
      channels: 1,
      patchSize: 4,
      dim: 16,
      depth: 1,
      heads: 2,
      numClasses: 4,
    });
    const { metrics } = await train({
      model,
      train: images,
      validation: images,
      epochs: 2,
      batchSize: 32,
      lr: 3e-3,
      scorer: createScorer('batch-relative'),
      gate: new SundewGate({ targetActivationRate: 0.25, seed: 1 }),
    });
    expect(metrics.epochs).toHaveLength(2);
    expect(metrics.run.targetActivationRate).toBe(0.25);
    expect(metrics.epochs[1]!.activationRate).toBeGreaterThan(0);
    expect(metrics.epochs[1]!.activationRate).toBeLessThan(0.6);
    model.dispose();
  });
});
