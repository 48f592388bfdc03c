import * as tf from '@tensorflow/tfjs-core';

/** PyTorch's default Linear / Conv init: U(−1/√fan_in, 1/√fan_in) for weight and bias. */
export const kaimingUniform = (shape: number[], fanIn: number, seed: number): tf.Tensor =>
  tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), 'float32', seed);

/** Xavier (Glorot) uniform, as nn.MultiheadAttention's in_proj. */
export const xavierUniform = (shape: number[], fanIn: number, fanOut: number, seed: number): tf.Tensor => {
  const bound = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -bound, bound, 'float32', seed);
};
