import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { ApplyOptions } from './model-options.js';
import type { SampleBatch, SampleValues } from './samples.js';

/** What one forward pass gives the trainer. */
export interface LossForward {
  /** Per-sample losses [B] (the step minimises their mean). */
  losses: Tensor1D;
  /**
   * Class logits [B, K] the scorers see (log-probabilities are logits too);
   * [B, 1] for regression.
   */
  logits: Tensor2D;
}

/**
 * What the trainer trains: any network that gives per-sample losses for a
 * batch of inputs and targets. Our `Model` classifiers and `tf.LayersModel`s
 * are adapted to it (`@sundew/trainer`'s `classifierLossModel`, `layersLossModel`).
 */
export interface LossModel {
  /** Short name; part of a checkpoint's fingerprint. */
  readonly name: string;
  /** Columns of `logits` (classes; 2 for binary; 1 for regression). */
  readonly numClasses: number;
  /** Per-sample losses and logits of inputs x [B, ...xShape] against targets y [B, ...yShape]. */
  forward(x: Tensor, y: Tensor, options: ApplyOptions): LossForward;
  /** Penalties added once to each step's loss (weight regularizers), or null. */
  regularizationLoss?(): Scalar | null;
  /** Class index per sample of a batch's targets (for scorers and accuracy), or null for regression. */
  labelsOf(batch: SampleBatch): Int32Array | null;
  /** The variables an optimizer updates, in a stable order. */
  trainableVariables(): Variable[];
  /** Named weights, trainable or not (copies the caller disposes). */
  getWeights(): Map<string, Tensor>;
  /** Assign named weights; throws on a missing name or a wrong shape. */
  setWeights(weights: Map<string, Tensor>): void;
}
