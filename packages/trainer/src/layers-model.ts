import type { SampleBatch } from '@sundew/types';
import type { LossModel } from '@sundew/types/model';
import type { LayersModel } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { TrainerConfigError } from './errors.js';
import {
  binaryCrossentropyOfLogits,
  binaryCrossentropyOfProbabilities,
  categoricalCrossentropyOfLogits,
  categoricalCrossentropyOfProbabilities,
  meanSquaredErrorPerSample,
  perSampleMean,
  sparseCrossentropyOfProbabilities,
} from './layers-losses.js';

/** A per-sample loss of your own: [B, ...] targets and outputs → [B] (or [B, ...], averaged per sample). */
export type PerSampleLossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The losses a LayersModel can train with, by their tfjs names. */
export type LayersLossName =
  | 'sparseCategoricalCrossentropy'
  | 'categoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError';

/** Options of `layersLossModel`. */
export interface LayersModelOptions {
  /** The loss (default: the one the model was compiled with, when it is one of these names). */
  loss?: LayersLossName | PerSampleLossFn;
  /**
   * Whether the model outputs `probabilities` (a softmax/sigmoid last layer) or
   * `logits`. Default `auto`: read from the last layer's activation.
   */
  outputs?: 'auto' | 'logits' | 'probabilities';
}

const ALIASES: Record<string, LayersLossName> = {
  sparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  categoricalCrossentropy: 'categoricalCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  binaryCrossentropy: 'binaryCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  meanSquaredError: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  MSE: 'meanSquaredError',
};

const LOSS_NAMES = Object.keys(ALIASES).filter((k) => /^[a-z]+[A-Z]/.test(k));

/** The loss a model was compiled with, when it is a name we know. */
function compiledLoss(model: LayersModel): LayersLossName | undefined {
  const loss = (model as { loss?: unknown }).loss;
  return typeof loss === 'string' ? ALIASES[loss] : undefined;
}

/** `probabilities` when the last layer ends in a softmax or a sigmoid, else `logits`. */
export function outputKind(model: LayersModel): 'logits' | 'probabilities' {
  const layer = model.outputLayers?.[0] ?? model.layers[model.layers.length - 1];
  if (!layer) return 'logits';
  if (layer.getClassName() === 'Softmax') return 'probabilities';
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return activation === 'softmax' || activation === 'sigmoid' ? 'probabilities' : 'logits';
}

const argmaxRows = (y: ArrayLike<number>, n: number): Int32Array => {
  const k = y.length / n;
  return Int32Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (y[i * k + c]! > y[i * k + best]!) best = c;
    return best;
  });
};

/**
 * Any `tf.LayersModel` (Sequential or functional, one input and one output, any
 * input shape) as a `LossModel`: per-sample losses for sparse or one-hot
 * classification (logits or softmax outputs), binary classification,
 * regression (per-sample MSE) or your own per-sample loss. The training
 * forward runs with `training: true` (dropout, batch norm) and adds the
 * layers' regularizer penalties once per step, as `fit` does. Weights are
 * named by position (`w0`, `w1`, … over `model.weights`, trainable or not).
 */
/** A `LossModel` of a LayersModel, with the loss it resolved (`custom`: your function). */
export interface LayersLossModel extends LossModel {
  readonly loss: LayersLossName | 'custom';
}

export function layersLossModel(model: LayersModel, options: LayersModelOptions = {}): LayersLossModel {
  if (!model || typeof (model as { apply?: unknown }).apply !== 'function' || !Array.isArray(model.weights)) {
    throw new TrainerConfigError(
      'layersLossModel: expected a tf.LayersModel (tf.sequential() or tf.model())',
    );
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new TrainerConfigError(
      `layersLossModel: the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; ` +
        'only models with one input and one output are supported',
    );
  }
  const loss = options.loss ?? compiledLoss(model);
  if (loss === undefined) {
    throw new TrainerConfigError(
      `layersLossModel: no loss: pass loss (${LOSS_NAMES.join(', ')}, or a per-sample function) ` +
        `or compile the model with one of those names; received ${JSON.stringify((model as { loss?: unknown }).loss ?? null)}`,
    );
  }
  if (typeof loss === 'string' && !LOSS_NAMES.includes(loss)) {
    throw new TrainerConfigError(
      `layersLossModel: unknown loss ${JSON.stringify(loss)}; expected one of ${LOSS_NAMES.join(', ')} or a per-sample function`,
    );
  }
  const outputs =
    options.outputs === undefined || options.outputs === 'auto' ? outputKind(model) : options.outputs;
  if (outputs !== 'logits' && outputs !== 'probabilities') {
    throw new TrainerConfigError(
      `layersLossModel: outputs must be auto, logits or probabilities; received ${JSON.stringify(options.outputs)}`,
    );
  }
  const outShape = model.outputs[0]!.shape.slice(1) as number[];
  const units = outShape.reduce((a, b) => a * (b ?? 1), 1);
  const binary = loss === 'binaryCrossentropy' && units === 1;
  const classes = loss === 'sparseCategoricalCrossentropy' || loss === 'categoricalCrossentropy';
  const numClasses = binary ? 2 : units;
  const probabilities = outputs === 'probabilities';

  /** Targets shaped like the outputs when they hold as many values ([B] → [B, 1], as fit does). */
  const shapedLike = (y: tf.Tensor, z: tf.Tensor): tf.Tensor =>
    y.size === z.size && y.shape.join() !== z.shape.join() ? tf.reshape(y, z.shape) : y;

  const perSample = (y: tf.Tensor, z: tf.Tensor): tf.Tensor1D => {
    if (typeof loss === 'function') return perSampleMean(loss(shapedLike(y, z), z));
    switch (loss) {
      case 'sparseCategoricalCrossentropy':
        return probabilities
          ? sparseCrossentropyOfProbabilities(y, z)
          : categoricalCrossentropyOfLogits(tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), units), z);
      case 'categoricalCrossentropy':
        return probabilities
          ? categoricalCrossentropyOfProbabilities(y, z)
          : categoricalCrossentropyOfLogits(y, z);
      case 'binaryCrossentropy':
        return perSampleMean(
          probabilities
            ? binaryCrossentropyOfProbabilities(shapedLike(y, z), z)
            : binaryCrossentropyOfLogits(shapedLike(y, z), z),
        );
      default:
        return perSampleMean(meanSquaredErrorPerSample(shapedLike(y, z), z));
    }
  };

  /** What the scorers see as logits [B, numClasses]. */
  const scorerLogits = (z: tf.Tensor): tf.Tensor2D => {
    const n = z.shape[0]!;
    if (binary) {
      const col = tf.reshape(z, [n, 1]);
      if (!probabilities) return tf.concat([tf.zerosLike(col), col], 1) as tf.Tensor2D;
      const p = tf.clipByValue(col, tf.backend().epsilon(), 1 - tf.backend().epsilon());
      return tf.concat([tf.log(tf.sub(1, p)), tf.log(p)], 1) as tf.Tensor2D;
    }
    const flat = tf.reshape(z, [n, units]) as tf.Tensor2D;
    return classes && probabilities
      ? (tf.log(tf.clipByValue(flat, tf.backend().epsilon(), 1)) as tf.Tensor2D)
      : flat;
  };

  const variables = (): tf.Variable[] =>
    model.trainableWeights.map((w) => {
      const v = w.read();
      if (!(v instanceof tf.Variable))
        throw new TrainerConfigError(`layersLossModel: weight ${w.name} is not a variable`);
      return v;
    });

  const layerNames = model.layers.map((l) => l.getClassName()).join(',');
  return {
    name: `tf.LayersModel(${layerNames})`,
    loss: typeof loss === 'function' ? 'custom' : loss,
    numClasses,
    forward(x, y, opts) {
      const z = model.apply(x, { training: opts.training }) as tf.Tensor;
      return { losses: perSample(y, z), logits: scorerLogits(z) };
    },
    regularizationLoss() {
      // A Sequential keeps its graph (and so its layers' penalties) in an inner model, as fit uses.
      // (an uncompiled Sequential has none yet: then its layers' own penalties, each layer once).
      const inner = (model as { model?: LayersModel }).model;
      const penalties =
        inner && inner !== model
          ? inner.calculateLosses()
          : model.getClassName() === 'Sequential'
            ? model.layers.flatMap((l) => l.calculateLosses())
            : model.calculateLosses();
      if (penalties.length === 0) return null;
      return penalties.reduce((a, b) => tf.add(a, b) as tf.Scalar);
    },
    labelsOf(batch: SampleBatch) {
      if (binary) return Int32Array.from(batch.y, (v) => (v >= 0.5 ? 1 : 0));
      if (!classes) return null;
      if (loss === 'categoricalCrossentropy') return argmaxRows(batch.y, batch.size);
      return batch.y instanceof Int32Array ? batch.y : Int32Array.from(batch.y, Math.floor);
    },
    trainableVariables: variables,
    getWeights() {
      return new Map(model.weights.map((w, i) => [`w${i}`, tf.clone(w.read())]));
    },
    setWeights(weights) {
      const list = model.weights.map((w, i) => {
        const t = weights.get(`w${i}`);
        if (!t) throw new TrainerConfigError(`layersLossModel: weight w${i} (${w.name}) is missing`);
        if (t.shape.join() !== w.shape.join()) {
          throw new TrainerConfigError(
            `layersLossModel: weight w${i} (${w.name}) has shape [${t.shape}] but the model needs [${w.shape}]`,
          );
        }
        return t;
      });
      model.setWeights(list);
    },
  };
}
