import * as tf from '@tensorflow/tfjs-core';
import { type DropoutParams, dropoutMask, dropoutParams } from '../dropout-mask.js';
import { KernelNames, kernelsActive } from '../wasm-kernels.js';
import { runKernel, withGradient } from './run-kernel.js';

/** The dropout mask (0 or 1/keep per element) as a tensor of `shape`. */
export function maskTensor(shape: number[], p: DropoutParams): tf.Tensor {
  return tf.tensor(
    dropoutMask(
      shape.reduce((a, b) => a * b, 1),
      p,
    ),
    shape,
    'float32',
  );
}

const fusedDropout = (p: DropoutParams) =>
  withGradient<[tf.Tensor], tf.Tensor>(([x]) => ({
    value: runKernel<tf.Tensor>(KernelNames.dropout, { x }, p),
    gradFunc: (dy) => runKernel<tf.Tensor>(KernelNames.dropout, { x: dy }, p),
  }));

const fusedAddDropout = (p: DropoutParams) =>
  withGradient<[tf.Tensor, tf.Tensor], tf.Tensor>(([x, b]) => ({
    value: runKernel<tf.Tensor>(KernelNames.addDropout, { x, b }, p),
    gradFunc: (dy) => [dy, runKernel<tf.Tensor>(KernelNames.dropout, { x: dy }, p)],
  }));

/**
 * Inverted dropout with a counter-based mask: element i is dropped by the
 * hash of (seed, i), the same on every backend. rate 0 returns x.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  if (rate === 0) return x;
  const p = dropoutParams(rate, seed);
  if (kernelsActive()) return fusedDropout(p)(x) as T;
  return tf.tidy(() => tf.mul(x, maskTensor(x.shape, p))) as T;
}

/** x + dropout(branch): a residual connection whose branch is dropped out. */
export function addDropout<T extends tf.Tensor>(x: T, branch: T, rate: number, seed: number): T {
  if (rate === 0) return tf.add(x, branch) as T;
  const p = dropoutParams(rate, seed);
  if (kernelsActive()) return fusedAddDropout(p)(x, branch) as T;
  return tf.tidy(() => tf.add(x, tf.mul(branch, maskTensor(branch.shape, p)))) as T;
}
