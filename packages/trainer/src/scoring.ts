import type { DataBatch, SampleBatch, ScoringBatch, SignificanceScorer } from '@sundew/types';
import type { LossModel, Model } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';
import { classifierLossModel } from './classifier-model.js';
import { rowsTensor } from './train-step.js';

/** Per-sample standard deviation of the inputs (the batch-relative score's d: pixel spread for images). */
export function inputStd(x: ArrayLike<number>, size: number): Float32Array {
  const values = x.length / size;
  return Float32Array.from({ length: size }, (_, i) => {
    let sum = 0;
    let sq = 0;
    for (let p = i * values; p < (i + 1) * values; p++) {
      const v = x[p]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / values;
    return Math.sqrt(Math.max(0, sq / values - mean * mean));
  });
}

/** Per-sample standard deviation of the normalised pixels of an image batch. */
export function pixelStd(batch: DataBatch): Float32Array {
  return inputStd(batch.images, batch.size);
}

/**
 * What the scorer asked for, computed once: one forward pass without gradients
 * (per-sample losses and logits) only when `needs.forward`, the input spread
 * only when `needs.inputStd`. `labels`: the batch's class labels (zeros for
 * regression).
 */
export function scoringBatch(
  model: LossModel,
  scorer: SignificanceScorer,
  batch: SampleBatch,
  labels: Int32Array,
  microBatch: number,
): ScoringBatch {
  const out: ScoringBatch = { indices: batch.indices, labels, numClasses: model.numClasses };
  if (scorer.needs.forward) {
    const { losses, logits } = forwardPass(model, batch, microBatch);
    out.losses = losses;
    out.logits = logits;
  }
  if (scorer.needs.inputStd) out.inputStd = inputStd(batch.x, batch.size);
  return out;
}

/** Per-sample losses and logits of a no-gradient forward pass, in chunks of `microBatch`. */
export function forwardPass(
  model: LossModel,
  batch: Pick<SampleBatch, 'x' | 'xShape' | 'y' | 'yShape' | 'size'>,
  microBatch: number,
): { losses: Float32Array; logits: Float32Array } {
  const classes = model.numClasses;
  const losses = new Float32Array(batch.size);
  const logits = new Float32Array(batch.size * classes);
  for (let start = 0; start < batch.size; start += microBatch) {
    const m = Math.min(microBatch, batch.size - start);
    tf.tidy(() => {
      const x = rowsTensor(batch.x, batch.xShape, start, m);
      const y = rowsTensor(batch.y, batch.yShape, start, m);
      const out = model.forward(x, y, { training: false });
      logits.set(out.logits.dataSync(), start * classes);
      losses.set(out.losses.dataSync(), start);
    });
  }
  return { losses, logits };
}

/** `forwardPass` of a `Model` classifier on an image batch. */
export function forwardLosses(
  model: Model,
  batch: Pick<DataBatch, 'images' | 'labels' | 'size'>,
  microBatch: number,
): { losses: Float32Array; logits: Float32Array } {
  return forwardPass(
    classifierLossModel(model),
    { x: batch.images, xShape: model.inputShape, y: batch.labels, yShape: [], size: batch.size },
    microBatch,
  );
}
