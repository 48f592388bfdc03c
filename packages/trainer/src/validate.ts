import type { DataBatch } from '@sundew/types';
import type { Model } from '@sundew/types/model';
import { forwardLosses } from './scoring.js';

/** Mean loss and accuracy (0–1) of a model on a whole split, without gradients. */
export function evaluate(model: Model, data: DataBatch, batchSize = 256): { loss: number; accuracy: number } {
  if (data.size === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  const { losses, logits } = forwardLosses(model, data, batchSize);
  const classes = model.numClasses;
  let correct = 0;
  let lossSum = 0;
  for (let i = 0; i < data.size; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (logits[i * classes + k]! > logits[i * classes + best]!) best = k;
    if (best === data.labels[i]) correct++;
    lossSum += losses[i]!;
  }
  return { loss: lossSum / data.size, accuracy: correct / data.size };
}
