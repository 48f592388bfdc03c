import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { ApplyOptions } from './model.js';

/** Typed arrays a batch carries: float features and targets, or int32 labels and token ids. */
export type SampleValues = Float32Array | Int32Array;

/**
 * One batch of any task, on the CPU side: inputs and targets sample after
 * sample, with who the samples are. Images are one case (x = normalised NHWC
 * floats, y = int32 labels).
 */
export interface SampleBatch {
  /** size · prod(xShape) input values. */
  readonly x: SampleValues;
  /** Shape of one sample's input: [H, W, C] images, [F] features, [T] token ids. */
  readonly xShape: readonly number[];
  /** size · prod(yShape) targets: int32 class indices, float32 one-hot rows or regression values. */
  readonly y: SampleValues;
  /** Shape of one sample's target: [] for a label or a scalar, [C] for one-hot rows or vectors. */
  readonly yShape: readonly number[];
  /** Dataset index of each sample (stable across epochs): what stale-loss scorers key on. */
  readonly indices: Int32Array;
  readonly size: number;
}

/** A dataset of samples the trainer batches: any input shape, any target, random access by index. */
export interface SampleDataset {
  /** e.g. `tabular/train`; part of a checkpoint's fingerprint. */
  readonly name: string;
  readonly count: number;
  readonly xShape: readonly number[];
  readonly xDtype: 'float32' | 'int32';
  readonly yShape: readonly number[];
  readonly yDtype: 'float32' | 'int32';
  /**
   * The samples at `indices`, in that order. `random` (a seeded stream) is
   * given when training augmentation may draw from it; without it the samples
   * are returned as stored (validation, re-gathers).
   */
  gather(indices: Int32Array, random?: () => number): SampleBatch;
}

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
