import type { SampleBatch } from '@sundew/types';
import type { LossModel } from '@sundew/types/model';
import { forwardPass } from './scoring.js';

/**
 * Mean loss and accuracy (0–1) of a model on a whole split, without
 * gradients; accuracy is NaN when the task has no classes (regression).
 */
export function evaluate(
  model: LossModel,
  data: SampleBatch,
  batchSize = 256,
): { loss: number; accuracy: number } {
  if (data.size === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  const { losses, logits } = forwardPass(model, data, batchSize);
  const labels = model.labelsOf(data);
  const classes = model.numClasses;
  let correct = 0;
  let lossSum = 0;
  for (let i = 0; i < data.size; i++) {
    if (labels) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (logits[i * classes + k]! > logits[i * classes + best]!) best = k;
      if (best === labels[i]) correct++;
    }
    lossSum += losses[i]!;
  }
  return { loss: lossSum / data.size, accuracy: labels ? correct / data.size : Number.NaN };
}
