import '@tensorflow/tfjs-backend-cpu';
import { imageSamples, makeSyntheticDataset, sampleBatches } from '@sundew/data';
import { InfoBatchGate, SundewGate } from '@sundew/gate';
import { createScorer } from '@sundew/significance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AdamW,
  adamWStepOptimizer,
  classifierLossModel,
  StepEngine,
  TrainerConfigError,
  train,
} from './index.js';
import { TinyMlp } from './testing/mlp.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

const data = makeSyntheticDataset({ count: 96, shape: [4, 4, 1], numClasses: 3, seed: 2, noise: 0.2 });
const flat = (m: TinyMlp) => [...m.getWeights().values()].flatMap((t) => Array.from(t.dataSync()));

describe('StepEngine driven from a loop of your own', () => {
  it('takes the very steps train() takes (same weights, masks and losses)', async () => {
    const settings = { batchSize: 16, seed: 4, lr: 0.02 };
    const a = new TinyMlp([4, 4, 1], 3, 8, 1);
    const viaTrain = await train({
      model: a,
      train: data,
      epochs: 2,
      ...settings,
      schedule: 'constant',
      scorer: createScorer('loss-entropy'),
      gate: new SundewGate({ targetActivationRate: 0.4, seed: 3 }),
    });
    const b = new TinyMlp([4, 4, 1], 3, 8, 1);
    const optimizer = adamWStepOptimizer(new AdamW(b.trainableVariables()));
    const engine = new StepEngine({
      model: classifierLossModel(b),
      optimizer,
      scorer: createScorer('loss-entropy'),
      gate: new SundewGate({ targetActivationRate: 0.4, seed: 3 }),
      microBatchSize: settings.batchSize,
      seed: settings.seed,
    });
    const losses: number[] = [];
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 2; epoch++) {
      const batches = sampleBatches(imageSamples(data), { batchSize: 16, seed: settings.seed, epoch });
      for (const [batch, samples] of [...batches].entries()) {
        losses.push(engine.step(samples, { epoch, batch, lr: settings.lr }).loss);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(flat(b)).toEqual(flat(a));
    expect(losses).toEqual(viaTrain.metrics.batches.map((r) => r.loss));
    expect(optimizer.step).toBe(12);
    optimizer.dispose();
    a.dispose();
    b.dispose();
  });

  it('runs InfoBatch (raw stale losses, its gate, weights, full-size buffered steps) without leaking tensors', async () => {
    const m = new TinyMlp([4, 4, 1], 3, 8, 1);
    const before = tf.memory().numTensors;
    const { metrics } = await train({
      model: m,
      train: data,
      epochs: 3,
      batchSize: 16,
      seed: 4,
      lr: 0.02,
      schedule: 'constant',
      scorer: createScorer('stale-loss', { datasetSize: data.count }),
      gate: new InfoBatchGate({ seed: 5 }),
      selection: 'buffered',
      reweight: 'infobatch',
    });
    expect(tf.memory().numTensors).toBe(before);
    const trained = metrics.epochs.map((e) => e.samplesProcessed);
    // Epoch 1: never seen (+∞), every sample kept; then about half of the below-mean ones pruned.
    expect(trained[0]).toBe(96);
    for (const n of trained.slice(1)) {
      expect(n).toBeLessThan(90);
      expect(n).toBeGreaterThan(40);
    }
    // No target rate to record: the gate holds none.
    expect(metrics.run.targetActivationRate).toBeUndefined();
    m.dispose();
  });

  it('refuses a sparse engine without a scorer and a gate', () => {
    const m = new TinyMlp([4, 4, 1], 3);
    const optimizer = adamWStepOptimizer(new AdamW(m.trainableVariables()));
    const make = () => new StepEngine({ model: classifierLossModel(m), optimizer });
    expect(make).toThrow(TrainerConfigError);
    expect(make).toThrow(/needs a scorer and a gate/);
    optimizer.dispose();
    m.dispose();
  });

  it('full mode reads back no per-sample losses: per batch, the mean loss, the logits (accuracy) and the gradient norm', () => {
    const shapes: string[][] = [];
    const proto = tf.Tensor.prototype as unknown as { dataSync: (this: tf.Tensor) => unknown };
    const dataSync = proto.dataSync;
    proto.dataSync = function (this: tf.Tensor) {
      shapes[shapes.length - 1]!.push(`[${this.shape}]`);
      return dataSync.call(this);
    };
    const run = (mode: 'full' | 'sparse') => {
      const m = new TinyMlp([4, 4, 1], 3, 8, 1);
      const optimizer = adamWStepOptimizer(new AdamW(m.trainableVariables()));
      const engine = new StepEngine({
        model: classifierLossModel(m),
        optimizer,
        mode,
        ...(mode === 'sparse'
          ? {
              scorer: createScorer('stale-loss', { datasetSize: data.count }),
              gate: new SundewGate({ seed: 1 }),
            }
          : {}),
        warmupEpochs: 1,
        trackAccuracy: true,
      });
      const seen: string[][] = [];
      for (const [batch, samples] of [
        ...sampleBatches(imageSamples(data), { batchSize: 16, epoch: 0 }),
      ].entries()) {
        shapes.push([]);
        engine.step(samples, { epoch: 0, batch });
        seen.push(shapes.pop()!);
      }
      optimizer.dispose();
      m.dispose();
      return seen;
    };
    try {
      const full = run('full');
      expect(full).toHaveLength(6);
      for (const batch of full) expect(batch).toEqual(['[16,3]', '[]', '[]']);
      // The control: a warm-up epoch of a stale-loss scorer does read them back (it observes them).
      for (const batch of run('sparse')) expect(batch).toEqual(['[16]', '[16,3]', '[]', '[]']);
    } finally {
      proto.dataSync = dataSync;
    }
  });
});
