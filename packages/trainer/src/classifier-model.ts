import type { SampleBatch } from '@sundew/types';
import type { LossModel, Model } from '@sundew/types/model';
import type * as tf from '@tensorflow/tfjs-core';
import { perSampleCrossEntropy } from './loss.js';

/**
 * A `Model` classifier (images → logits, e.g. our ViT) as a `LossModel`:
 * per-sample cross-entropy against int32 labels.
 */
export function classifierLossModel(model: Model): LossModel {
  return {
    name: model.name,
    numClasses: model.numClasses,
    forward(x, y, options) {
      const logits = model.apply(x as tf.Tensor4D, options);
      return { losses: perSampleCrossEntropy(logits, y as tf.Tensor1D), logits };
    },
    labelsOf: (batch: SampleBatch) => batch.y as Int32Array,
    trainableVariables: () => model.trainableVariables(),
    getWeights: () => model.getWeights(),
    setWeights: (weights) => model.setWeights(weights),
  };
}
