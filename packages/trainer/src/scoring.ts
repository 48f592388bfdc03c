import type { DataBatch, ScoringBatch, SignificanceScorer } from '@sundew/types';
import type { Model } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';
import { perSampleCrossEntropy } from './loss.js';

/** Per-sample standard deviation of the normalised pixels (the batch-relative score's d). */
export function pixelStd(batch: DataBatch): Float32Array {
  const pixels = batch.images.length / batch.size;
  return Float32Array.from({ length: batch.size }, (_, i) => {
    let sum = 0;
    let sq = 0;
    for (let p = i * pixels; p < (i + 1) * pixels; p++) {
      const v = batch.images[p]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / pixels;
    return Math.sqrt(Math.max(0, sq / pixels - mean * mean));
  });
}

/**
 * What the scorer asked for, computed once: one forward pass without gradients
 * (per-sample losses and logits) only when `needs.forward`, the pixel spread
 * only when `needs.inputStd`.
 */
export function scoringBatch(
  model: Model,
  scorer: SignificanceScorer,
  batch: DataBatch,
  microBatch: number,
): ScoringBatch {
  const out: ScoringBatch = { indices: batch.indices, labels: batch.labels, numClasses: model.numClasses };
  if (scorer.needs.forward) {
    const { losses, logits } = forwardLosses(model, batch, microBatch);
    out.losses = losses;
    out.logits = logits;
  }
  if (scorer.needs.inputStd) out.inputStd = pixelStd(batch);
  return out;
}

/** Per-sample losses and logits of a no-gradient forward pass, in chunks of `microBatch`. */
export function forwardLosses(
  model: Model,
  batch: Pick<DataBatch, 'images' | 'labels' | 'size'>,
  microBatch: number,
): { losses: Float32Array; logits: Float32Array } {
  const [h, w, c] = model.inputShape;
  const pixels = h * w * c;
  const classes = model.numClasses;
  const losses = new Float32Array(batch.size);
  const logits = new Float32Array(batch.size * classes);
  for (let start = 0; start < batch.size; start += microBatch) {
    const m = Math.min(microBatch, batch.size - start);
    tf.tidy(() => {
      const x = tf.tensor4d(batch.images.subarray(start * pixels, (start + m) * pixels), [m, h, w, c]);
      const z = model.apply(x, { training: false });
      const l = perSampleCrossEntropy(z, tf.tensor1d(batch.labels.subarray(start, start + m), 'int32'));
      logits.set(z.dataSync(), start * classes);
      losses.set(l.dataSync(), start);
    });
  }
  return { losses, logits };
}
