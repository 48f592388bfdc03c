import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layersLossModel, outputKind, TrainerConfigError } from './index.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

/** A one-layer model whose output is its input times the identity, so outputs are known numbers. */
function identity(
  units: number,
  activation: 'linear' | 'softmax' | 'sigmoid',
  regularize = false,
): tf.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [units],
      units,
      activation,
      useBias: false,
      kernelInitializer: 'identity',
      ...(regularize ? { kernelRegularizer: tf.regularizers.l2({ l2: 0.5 }) } : {}),
    }),
  );
  return model;
}

const z = [
  [1, 2, 0.5],
  [-1, 0, 3],
];
const softmax = (row: number[]) => {
  const e = row.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/** Per-sample losses of the adapter's training forward for inputs x and targets y. */
function losses(
  model: tf.LayersModel,
  options: Parameters<typeof layersLossModel>[1],
  x: number[][],
  y: tf.Tensor,
): number[] {
  const lm = layersLossModel(model, options);
  return tf.tidy(() => Array.from(lm.forward(tf.tensor2d(x), y, { training: true }).losses.dataSync()));
}

describe('layersLossModel: per-sample losses equal hand-computed ones', () => {
  it('sparse cross-entropy from logits and from softmax outputs (auto-detected)', () => {
    const labels = [2, 0];
    const expected = z.map((row, i) => -Math.log(softmax(row)[labels[i]!]!));
    const y = tf.tensor1d(labels, 'int32');
    const logitModel = identity(3, 'linear');
    const softmaxModel = identity(3, 'softmax');
    expect(outputKind(logitModel)).toBe('logits');
    expect(outputKind(softmaxModel)).toBe('probabilities');
    const fromLogits = losses(logitModel, { loss: 'sparseCategoricalCrossentropy' }, z, y);
    const fromProbs = losses(softmaxModel, { loss: 'sparseCategoricalCrossentropy' }, z, y);
    fromLogits.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    fromProbs.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    // Saying "logits" for a softmax model is believed: the loss is then that of softmax(softmax(z)).
    const forced = losses(softmaxModel, { loss: 'sparseCategoricalCrossentropy', outputs: 'logits' }, z, y);
    expect(Math.abs(forced[0]! - expected[0]!)).toBeGreaterThan(0.1);
    tf.dispose(y);
  });

  it('one-hot cross-entropy', () => {
    const y = tf.tensor2d([
      [0, 0, 1],
      [0.5, 0.5, 0],
    ]);
    const expected = z.map((row, i) => {
      const p = softmax(row);
      const t = i === 0 ? [0, 0, 1] : [0.5, 0.5, 0];
      return -t.reduce((s, ti, k) => s + ti * Math.log(p[k]!), 0);
    });
    for (const activation of ['linear', 'softmax'] as const) {
      const got = losses(identity(3, activation), { loss: 'categoricalCrossentropy' }, z, y);
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    }
    tf.dispose(y);
  });

  it('binary cross-entropy from a sigmoid output and from a logit', () => {
    const x = [[0.8], [-2]];
    const labels = [1, 0];
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const expected = x.map(([v], i) => {
      const p = sigmoid(v!);
      return -(labels[i]! * Math.log(p) + (1 - labels[i]!) * Math.log(1 - p));
    });
    const y = tf.tensor1d(labels);
    for (const activation of ['sigmoid', 'linear'] as const) {
      const got = losses(identity(1, activation), { loss: 'binaryCrossentropy' }, x, y);
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    }
    const lm = layersLossModel(identity(1, 'sigmoid'), { loss: 'binaryCrossentropy' });
    expect(lm.numClasses).toBe(2);
    tf.dispose(y);
  });

  it('per-sample mean squared error, and a user-supplied per-sample loss', () => {
    const y = tf.tensor2d([
      [0, 2, 0],
      [1, 1, 1],
    ]);
    const target = [
      [0, 2, 0],
      [1, 1, 1],
    ];
    const mse = z.map((row, i) => row.reduce((s, v, k) => s + (v - target[i]![k]!) ** 2, 0) / 3);
    const mae = z.map((row, i) => row.reduce((s, v, k) => s + Math.abs(v - target[i]![k]!), 0) / 3);
    const model = identity(3, 'linear');
    losses(model, { loss: 'meanSquaredError' }, z, y).forEach((v, i) => expect(v).toBeCloseTo(mse[i]!, 5));
    const custom = (t: tf.Tensor, p: tf.Tensor) => tf.abs(tf.sub(p, t));
    losses(model, { loss: custom }, z, y).forEach((v, i) => expect(v).toBeCloseTo(mae[i]!, 5));
    expect(
      layersLossModel(model, { loss: 'meanSquaredError' }).labelsOf({
        x: new Float32Array(6),
        xShape: [3],
        y: new Float32Array(6),
        yShape: [3],
        indices: new Int32Array(2),
        size: 2,
      }),
    ).toBeNull();
    tf.dispose(y);
  });

  it('adds the regularizer penalties as fit does (l2 · Σ w²)', () => {
    const lm = layersLossModel(identity(3, 'linear', true), { loss: 'meanSquaredError' });
    const penalty = tf.tidy(() => lm.regularizationLoss!()!.dataSync()[0]!);
    expect(penalty).toBeCloseTo(0.5 * 3, 5);
  });

  it('runs the training forward with training: true (dropout on) and the scoring forward without', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 3, useBias: false, kernelInitializer: 'identity' }),
        tf.layers.dropout({ rate: 0.5 }),
      ],
    });
    const lm = layersLossModel(model, { loss: 'meanSquaredError' });
    const x = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const zeros = tf.zeros([2, 3]);
    const run = (training: boolean) =>
      tf.tidy(() => Array.from(lm.forward(tf.tensor2d(x), zeros, { training }).losses.dataSync()));
    const inference = run(false);
    expect(inference[0]).toBeCloseTo((1 + 4 + 9) / 3, 5);
    const trained = [run(true), run(true), run(true)];
    expect(trained.some((l) => Math.abs(l[0]! - inference[0]!) > 1e-3)).toBe(true);
    tf.dispose(zeros);
  });

  it('uses the loss the model was compiled with, and names what is wrong', () => {
    const model = identity(3, 'softmax');
    expect(() => layersLossModel(model)).toThrow(/no loss: pass loss/);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    expect(layersLossModel(model).loss).toBe('categoricalCrossentropy');
    expect(() => layersLossModel(model, { loss: 'hinge' as never })).toThrow(TrainerConfigError);
    expect(() => layersLossModel(model, { outputs: 'scores' as never })).toThrow(
      /outputs must be auto, logits or probabilities/,
    );
    expect(() => layersLossModel({} as never)).toThrow(/expected a tf.LayersModel/);
  });
});
