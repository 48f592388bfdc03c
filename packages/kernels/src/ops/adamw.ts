import * as tf from '@tensorflow/tfjs-core';
import { type AdamWAttrs, KernelNames, kernelsActive } from '../wasm-kernels.js';
import { runKernel } from './run-kernel.js';

/** One AdamW step's scalars. */
export interface AdamWStep {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** The step number t ≥ 1 (bias correction). */
  step: number;
}

/**
 * One AdamW update of a parameter (PyTorch's torch.optim.AdamW): returns
 * [p', m', v'] for parameter p, gradient g and moments m, v. One kernel on WASM.
 */
export function adamwUpdate(
  p: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  s: AdamWStep,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const c1 = 1 - s.beta1 ** s.step;
  const c2 = 1 - s.beta2 ** s.step;
  if (kernelsActive()) {
    const attrs: AdamWAttrs = {
      lr: s.lr,
      beta1: s.beta1,
      beta2: s.beta2,
      epsilon: s.epsilon,
      decay: 1 - s.lr * s.weightDecay,
      invC1: 1 / c1,
      invC2: 1 / c2,
    };
    return runKernel<tf.Tensor[]>(KernelNames.adamw, { p, g, m, v }, attrs) as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
  }
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, s.beta1), tf.mul(g, 1 - s.beta1));
    const v2 = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(g), 1 - s.beta2));
    const update = tf.div(tf.div(m2, c1), tf.add(tf.sqrt(tf.div(v2, c2)), s.epsilon));
    const p2 = tf.sub(tf.mul(p, 1 - s.lr * s.weightDecay), tf.mul(update, s.lr));
    return [p2, m2, v2] as [tf.Tensor, tf.Tensor, tf.Tensor];
  });
}

/** Σ over every tensor of Σ x² (the squared global norm), as a scalar. */
export function sumOfSquares(tensors: tf.Tensor[]): tf.Scalar {
  if (tensors.length === 0) return tf.scalar(0);
  if (kernelsActive()) {
    return runKernel<tf.Scalar>(
      KernelNames.sumSquares,
      Object.fromEntries(tensors.map((t, i) => [String(i), t])),
    );
  }
  return tf.tidy(() => tf.addN(tensors.map((t) => tf.sum(tf.square(t)))) as tf.Scalar);
}
