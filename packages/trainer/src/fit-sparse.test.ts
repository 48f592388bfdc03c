import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensorDataset } from '@sundew/data';
import * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FitCallback, fitSparse, TrainerConfigError } from './index.js';

const tf = tfjs;

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

/** Tabular data: 4 features, 3 classes, a learnable rule plus noise. */
function tabular(n: number, seed: number) {
  let s = seed;
  const random = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const x = new Float32Array(n * 4).map(() => random() * 2 - 1);
  const y = Int32Array.from({ length: n }, (_, i) => {
    const score = x[i * 4]! + 0.5 * x[i * 4 + 1]! - x[i * 4 + 2]!;
    return score < -0.3 ? 0 : score < 0.3 ? 1 : 2;
  });
  return { x: { values: x, shape: [n, 4] }, y };
}

function mlp(
  seed: number,
  activation: 'softmax' | 'linear' = 'softmax',
  dropout = 0,
  l2 = 0,
): tfjs.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [4],
      units: 8,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      ...(l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2 }) } : {}),
    }),
  );
  if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
  model.add(
    tf.layers.dense({
      units: 3,
      activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  return model;
}

const L = { loss: 'sparseCategoricalCrossentropy' } as const;

const flat = (model: tfjs.LayersModel): number[] =>
  model.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('fitSparse reads like model.fit', () => {
  it('full mode equals model.fit after one epoch (same init, order and optimizer)', async () => {
    const { x, y } = tabular(96, 1);
    const a = mlp(1);
    const b = mlp(1);
    b.setWeights(a.getWeights());
    a.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
    b.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
    const xs = tf.tensor2d(x.values, [96, 4]);
    const ys = tf.tensor1d(Array.from(y));
    await a.fit(xs, ys, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    const history = await fitSparse(b, x, y, { epochs: 1, batchSize: 16, shuffle: false, sparse: false });
    const wa = flat(a);
    const wb = flat(b);
    expect(wb.length).toBe(wa.length);
    const maxDiff = Math.max(...wa.map((v, i) => Math.abs(v - wb[i]!)));
    expect(maxDiff).toBeLessThan(1e-5);
    // …and the weights did move: the comparison is not vacuous.
    const init = mlp(1);
    expect(Math.max(...flat(init).map((v, i) => Math.abs(v - wa[i]!)))).toBeGreaterThan(1e-3);
    expect(history.history.loss).toHaveLength(1);
    expect(history.history.activation_rate).toEqual([1]);
    tf.dispose([xs, ys]);
    for (const m of [a, b, init]) m.dispose();
  });

  it('takes tf tensors as model.fit does (a tensor is not mistaken for a dataset), with the same steps as typed arrays', async () => {
    const { x, y } = tabular(48, 5);
    const a = mlp(2);
    const b = mlp(2);
    b.setWeights(a.getWeights());
    const xs = tf.tensor2d(x.values, [48, 4]);
    const ys = tf.tensor1d(Array.from(y));
    const options = { ...L, epochs: 2, batchSize: 16, optimizer: tf.train.adam(0.01), seed: 3 };
    const viaTensors = await fitSparse(a, xs, ys, { ...options, validationData: [xs, ys] });
    await fitSparse(b, x, y, { ...options, optimizer: tf.train.adam(0.01) });
    expect(flat(a)).toEqual(flat(b));
    expect(viaTensors.history.val_acc).toHaveLength(2);
    tf.dispose([xs, ys]);
    a.dispose();
    b.dispose();
  });

  it('full mode equals model.fit with an l2 regularizer, one-hot targets and SGD too', async () => {
    const { x, y } = tabular(64, 9);
    const oneHot = Float32Array.from({ length: 64 * 3 }, (_, i) => (y[Math.floor(i / 3)] === i % 3 ? 1 : 0));
    const a = mlp(4, 'softmax', 0, 0.01);
    const b = mlp(4, 'softmax', 0, 0.01);
    b.setWeights(a.getWeights());
    a.compile({ optimizer: tf.train.sgd(0.2), loss: 'categoricalCrossentropy' });
    b.compile({ optimizer: tf.train.sgd(0.2), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor2d(x.values, [64, 4]);
    const ys = tf.tensor2d(oneHot, [64, 3]);
    await a.fit(xs, ys, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    await fitSparse(
      b,
      x,
      { values: oneHot, shape: [64, 3] },
      { epochs: 2, batchSize: 16, shuffle: false, sparse: false },
    );
    const wa = flat(a);
    const wb = flat(b);
    expect(Math.max(...wa.map((v, i) => Math.abs(v - wb[i]!)))).toBeLessThan(1e-5);
    tf.dispose([xs, ys]);
    a.dispose();
    b.dispose();
  });

  it('calls back in tfjs order with the logs tfvis reads', async () => {
    const { x, y } = tabular(40, 2);
    const val = tabular(20, 3);
    const model = mlp(2);
    const events: string[] = [];
    const seen: Record<string, number>[] = [];
    const callback: FitCallback = {
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchBegin: (b, logs) => void events.push(`batchBegin ${b} size ${logs?.size}`),
      onBatchEnd: async (b, logs) => {
        await new Promise((r) => setTimeout(r, 1));
        events.push(`batchEnd ${b}`);
        seen.push(logs!);
      },
      onEpochEnd: (e, logs) => {
        events.push(`epochEnd ${e}`);
        seen.push(logs!);
      },
      onTrainEnd: () => void events.push('trainEnd'),
    };
    const history = await fitSparse(model, x, y, {
      ...L,
      epochs: 2,
      batchSize: 16,
      validationData: [val.x, val.y],
      callbacks: [callback],
      sparse: { targetRate: 0.5, scorer: 'loss-percentile' },
    });
    const epoch = [
      'batchBegin 0 size 16',
      'batchEnd 0',
      'batchBegin 1 size 16',
      'batchEnd 1',
      'batchBegin 2 size 8',
      'batchEnd 2',
    ];
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0',
      ...epoch,
      'epochEnd 0',
      'epochBegin 1',
      ...epoch,
      'epochEnd 1',
      'trainEnd',
    ]);
    const batchLogs = seen[0]!;
    expect(Object.keys(batchLogs).sort()).toEqual([
      'acc',
      'activation_rate',
      'batch',
      'loss',
      'size',
      'threshold',
    ]);
    expect(batchLogs.activation_rate).toBeGreaterThan(0);
    expect(batchLogs.activation_rate).toBeLessThanOrEqual(1);
    expect(Number.isFinite(batchLogs.threshold)).toBe(true);
    const epochLogs = seen[3]!;
    expect(Object.keys(epochLogs).sort()).toEqual([
      'acc',
      'activation_rate',
      'loss',
      'threshold',
      'val_acc',
      'val_loss',
    ]);
    expect(history.epoch).toEqual([0, 1]);
    expect(history.history.val_loss).toHaveLength(2);
    expect(history.history.val_acc![1]).toBeGreaterThanOrEqual(0);
    model.dispose();
  });

  it('stops when a callback sets model.stopTraining (as tf.callbacks.earlyStopping does)', async () => {
    const { x, y } = tabular(40, 4);
    const model = mlp(3);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
    const begun: number[] = [];
    const history = await fitSparse(model, x, y, {
      ...L,
      epochs: 5,
      batchSize: 20,
      sparse: false,
      callbacks: {
        onEpochBegin: (epoch) => void begun.push(epoch),
        onEpochEnd: (epoch) => {
          if (epoch === 1) model.stopTraining = true;
        },
      },
    });
    expect(history.epoch).toEqual([0, 1]);
    expect(begun).toEqual([0, 1]);
    model.dispose();
  });
});

describe('fitSparse on a tf.data.Dataset', () => {
  it('trains from fromTfDataset(ds) with stable indices (fitSparse(model, dataset, options))', async () => {
    const { fromTfDataset } = await import('@sundew/data');
    const { x, y } = tabular(48, 10);
    const elements = Array.from({ length: 48 }, (_, i) => ({
      xs: Array.from(x.values.subarray(i * 4, i * 4 + 4)),
      ys: y[i]!,
    }));
    const ds = tf.data.array(elements).map((e) => {
      const el = e as { xs: number[]; ys: number };
      return { xs: tf.tensor1d(el.xs), ys: tf.scalar(el.ys, 'int32') };
    });
    const before = tf.memory().numTensors;
    const data = await fromTfDataset(ds, { name: 'tabular' });
    expect(tf.memory().numTensors).toBe(before);
    expect([data.count, data.xShape, data.yShape, data.yDtype]).toEqual([48, [4], [], 'int32']);
    expect(Array.from(data.gather(Int32Array.from([5])).x)).toEqual(Array.from(x.values.subarray(20, 24)));
    const model = mlp(11);
    const history = await fitSparse(model, data, {
      ...L,
      epochs: 2,
      batchSize: 16,
      sparse: { scorer: 'stale-loss' },
    });
    expect(history.history.loss).toHaveLength(2);
    model.dispose();
  });
});

describe('fitSparse memory and resume', () => {
  it('keeps tf.memory().numTensors flat over 1,000 steps of a LayersModel (dropout on, regularizer on)', async () => {
    const { x, y } = tabular(200, 5);
    const model = tf.sequential();
    model.add(
      tf.layers.dense({
        inputShape: [4],
        units: 8,
        activation: 'relu',
        kernelRegularizer: tf.regularizers.l2({ l2: 1e-3 }),
      }),
    );
    model.add(tf.layers.dropout({ rate: 0.2 }));
    model.add(tf.layers.dense({ units: 3 }));
    const counts: number[] = [];
    await fitSparse(model, x, y, {
      ...L,
      epochs: 20,
      batchSize: 4,
      optimizer: tf.train.adam(1e-3),
      sparse: { targetRate: 0.5, scorer: 'stale-loss' },
      callbacks: { onBatchEnd: () => void counts.push(tf.memory().numTensors) },
    });
    expect(counts.length).toBe(1000);
    // After the optimizer's accumulators exist (first step), nothing grows.
    expect(Math.max(...counts.slice(10))).toBe(counts[10]);
    model.dispose();
  });

  for (const optimizer of ['adamw', 'tfjs adam'] as const) {
    it(`resumes bit-exactly after an abort mid-epoch (${optimizer})`, async () => {
      const { x, y } = tabular(64, 6);
      const dir = await mkdtemp(join(tmpdir(), 'sundew-fit-'));
      const run = async (path: string, stopAt: number | null, resume: boolean) => {
        const model = mlp(7);
        const controller = new AbortController();
        let batches = 0;
        const h = await fitSparse(model, x, y, {
          ...L,
          epochs: 3,
          batchSize: 8,
          seed: 2,
          ...(optimizer === 'tfjs adam'
            ? { optimizer: tf.train.adam(0.01) }
            : { optimizer: 'adamw', learningRate: 0.01 }),
          sparse: { targetRate: 0.4, scorer: 'stale-loss' },
          checkpoint: { path, every: 2, resume },
          signal: controller.signal,
          callbacks: {
            onBatchEnd: () => {
              batches++;
              if (stopAt !== null && batches === stopAt) controller.abort();
            },
          },
        });
        const w = flat(model);
        model.dispose();
        return { h, w };
      };
      const whole = await run(join(dir, 'whole.bin'), null, false);
      const first = await run(join(dir, 'cut.bin'), 11, false);
      expect(first.h.stopped).toBe('aborted');
      const rest = await run(join(dir, 'cut.bin'), null, true);
      expect(rest.h.stopped).toBe('completed');
      expect(rest.w).toEqual(whole.w);
      const strip = (m: unknown) =>
        JSON.stringify(m, (k, v) => (/seconds|Seconds|At$|environment/.test(k) ? undefined : v));
      expect(strip(rest.h.metrics.epochs)).toBe(strip(whole.h.metrics.epochs));
    });
  }
});

describe('fitSparse rejects bad input by name', () => {
  const { x, y } = tabular(10, 8);
  it('x/y length mismatch', async () => {
    const model = mlp(9);
    await expect(fitSparse(model, x, y.subarray(0, 9), { ...L, sparse: false })).rejects.toThrow(
      /x has 10 samples but y has 9/,
    );
    model.dispose();
  });
  it('wrong input shape', async () => {
    const model = mlp(9);
    await expect(
      fitSparse(model, { values: new Float32Array(50), shape: [10, 5] }, y, { ...L, sparse: false }),
    ).rejects.toThrow(/inputs of shape \[4\] per sample but the data has \[5\]/);
    model.dispose();
  });
  it('labels out of range and one-hot targets with a sparse loss', async () => {
    const model = mlp(9);
    await expect(
      fitSparse(
        model,
        x,
        Int32Array.from(y, (v) => v + 1),
        { ...L, sparse: false },
      ),
    ).rejects.toThrow(/label 3 at sample \d+ is not a class of the 3-way output/);
    await expect(
      fitSparse(model, x, { values: new Float32Array(30), shape: [10, 3] }, { ...L, sparse: false }),
    ).rejects.toThrow(/takes one integer label per sample but the targets have shape \[3\]/);
    model.dispose();
  });
  it('a label out of range in a dataset without targets(), past the first chunk of 1,024', async () => {
    const n = 2500;
    const big = tabular(n, 3);
    const labels = Int32Array.from(big.y);
    labels[2100] = 5;
    const { targets: _, ...plain } = tensorDataset(big.x, labels, { name: 'plain' });
    const model = mlp(9);
    await expect(fitSparse(model, plain, { ...L, sparse: false })).rejects.toThrow(
      /label 5 at sample 2100 is not a class of the 3-way output/,
    );
    model.dispose();
  });
  it('unknown loss, missing loss, bad optimizer', async () => {
    const model = mlp(9);
    await expect(fitSparse(model, x, y, { loss: 'hinge' as never })).rejects.toThrow(/unknown loss "hinge"/);
    await expect(fitSparse(model, x, y, {})).rejects.toThrow(TrainerConfigError);
    await expect(
      fitSparse(model, x, y, { loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd' as never }),
    ).rejects.toThrow(/optimizer must be a tfjs optimizer/);
    model.dispose();
  });
});
