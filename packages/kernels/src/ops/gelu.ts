import * as tf from '@tensorflow/tfjs-core';
import { dropoutParams } from '../dropout-mask.js';
import { KernelNames, kernelsActive } from '../wasm-kernels.js';
import { maskTensor } from './dropout.js';
import { runKernel, withGradient } from './run-kernel.js';

/** `erf`: exact GELU (PyTorch's default); `tanh`: the tanh approximation. */
export type GeluKind = 'erf' | 'tanh';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU with plain tfjs ops. */
export function geluPlain(x: tf.Tensor, kind: GeluKind): tf.Tensor {
  return tf.tidy(() => {
    if (kind === 'erf') return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
    // x·x·x, not pow(x, 3): pow is a slow general kernel.
    const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  });
}

/**
 * dropout(GELU(x)) in one pass (the MLP's activation), forward and backward
 * fused on WASM. rate 0: plain GELU.
 */
export function geluDropout(x: tf.Tensor, kind: GeluKind, rate = 0, seed = 0): tf.Tensor {
  const p = dropoutParams(rate, seed);
  if (kernelsActive()) {
    const attrs = { ...p, kind: kind === 'erf' ? 0 : 1 };
    return withGradient<[tf.Tensor], tf.Tensor>(([u], save) => {
      save([u]);
      return {
        value: runKernel<tf.Tensor>(KernelNames.geluDropout, { x: u }, attrs),
        gradFunc: (dy, [us]) => runKernel<tf.Tensor>(KernelNames.geluDropoutGrad, { dy, x: us! }, attrs),
      };
    })(x);
  }
  if (rate === 0) return geluPlain(x, kind);
  return tf.tidy(() => tf.mul(geluPlain(x, kind), maskTensor(x.shape, p)));
}
