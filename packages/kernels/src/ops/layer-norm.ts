import * as tf from '@tensorflow/tfjs-core';
import { KernelNames, kernelsActive } from '../wasm-kernels.js';
import { runKernel, withGradient } from './run-kernel.js';

/** LayerNorm with plain tfjs ops and automatic gradients. */
export function layerNormPlain(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
  });
}

const fused = (epsilon: number) =>
  withGradient<[tf.Tensor2D, tf.Tensor1D, tf.Tensor1D], tf.Tensor2D>(([x, gamma, beta], save) => {
    const [y, mean, rstd] = runKernel<tf.Tensor[]>(KernelNames.layerNorm, { x, gamma, beta }, { epsilon });
    save([x, gamma, mean!, rstd!]);
    return {
      value: y as tf.Tensor2D,
      gradFunc: (dy, [xs, g, m, r]) =>
        runKernel<tf.Tensor[]>(KernelNames.layerNormGrad, { dy, x: xs!, gamma: g!, mean: m!, rstd: r! }),
    };
  });

/**
 * LayerNorm over the last axis of [N, D] (PyTorch's, eps 1e-5): one fused
 * kernel forward and one backward on WASM, plain tfjs ops elsewhere.
 *
 * Input shape: [N, D]; gamma, beta: [D]. Output shape: [N, D].
 */
export function layerNorm(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): tf.Tensor2D {
  const cols = x.shape[1];
  if (x.rank !== 2 || gamma.shape.join() !== `${cols}` || beta.shape.join() !== `${cols}`) {
    throw new Error(
      `layerNorm: expected x [N, D] with gamma and beta [D]; received x [${x.shape}], gamma [${gamma.shape}], beta [${beta.shape}]`,
    );
  }
  return kernelsActive() ? fused(epsilon)(x, gamma, beta) : layerNormPlain(x, gamma, beta, epsilon);
}
