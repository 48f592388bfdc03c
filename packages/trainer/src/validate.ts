import type { SampleBatch } from '@sundew/types';
import type { LossModel } from '@sundew/types/model';
import { forwardPass } from './scoring.js';

/**
 * Mean loss, accuracy (0–1) and balanced accuracy (the mean of the per-class
 * recalls, over the classes the split holds) of a model on a whole split,
 * without gradients; both accuracies are NaN when the task has no classes (regression).
 */
export function evaluate(
  model: LossModel,
  data: SampleBatch,
  batchSize = 256,
): { loss: number; accuracy: number; balancedAccuracy: number } {
  if (data.size === 0) return { loss: Number.NaN, accuracy: Number.NaN, balancedAccuracy: Number.NaN };
  const { losses, logits } = forwardPass(model, data, batchSize);
  const labels = model.labelsOf(data);
  const classes = model.numClasses;
  let correct = 0;
  let lossSum = 0;
  const perClass = new Float64Array(classes);
  const hitsPerClass = new Float64Array(classes);
  for (let i = 0; i < data.size; i++) {
    if (labels) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (logits[i * classes + k]! > logits[i * classes + best]!) best = k;
      const label = labels[i]!;
      if (label >= 0 && label < classes) perClass[label]!++;
      if (best === label) {
        correct++;
        hitsPerClass[label]!++;
      }
    }
    lossSum += losses[i]!;
  }
  let recalls = 0;
  let present = 0;
  perClass.forEach((n, k) => {
    if (n > 0) {
      recalls += hitsPerClass[k]! / n;
      present++;
    }
  });
  return {
    loss: lossSum / data.size,
    accuracy: labels ? correct / data.size : Number.NaN,
    balancedAccuracy: labels && present > 0 ? recalls / present : Number.NaN,
  };
}
