import type { Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs-core';
import type { ApplyOptions, FlopCount } from './model-options.js';

/**
 * A classifier the trainer can train: any network that maps NHWC images to
 * logits and exposes its variables.
 */
export interface Model {
  /** Short name, e.g. `vit-tiny`. */
  readonly name: string;
  /** [height, width, channels] of one input image. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Logits [B, numClasses] from images [B, H, W, C] (float32, normalised). */
  apply(images: Tensor4D, options: ApplyOptions): Tensor2D;
  /** The variables an optimizer updates, in a stable order. */
  trainableVariables(): Variable[];
  /** Number of trainable scalars. */
  parameterCount(): number;
  /** Named weights (copies the caller disposes). */
  getWeights(): Map<string, Tensor>;
  /** Assign named weights; throws on a missing name or a wrong shape. */
  setWeights(weights: Map<string, Tensor>): void;
  /** FLOPs at a batch size, when the model can count them. */
  flops?(batchSize: number): FlopCount;
  /** Release every tensor the model owns. */
  dispose(): void;
}

export type { LossForward, LossModel } from './loss-model.js';
export type { ApplyOptions, FlopCount } from './model-options.js';
