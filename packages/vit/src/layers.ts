import * as tf from '@tensorflow/tfjs-core';

/** LayerNorm over the last axis of [N, D] (eps 1e-5, PyTorch's). */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU: exact (erf, PyTorch's default) or the tanh approximation. */
export function gelu(x: tf.Tensor, kind: 'erf' | 'tanh'): tf.Tensor {
  if (kind === 'erf') return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** Dropout when training and rate > 0; the seed makes the mask reproducible. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, training: boolean, seed: number): T {
  return training && rate > 0 ? (tf.dropout(x, rate, undefined, seed) as T) : x;
}

/** Shapes and parameters one multi-head self-attention call needs. */
export interface AttentionArgs {
  batch: number;
  tokens: number;
  heads: number;
  dim: number;
  inWeight: tf.Tensor2D;
  inBias: tf.Tensor1D;
  outWeight: tf.Tensor2D;
  outBias: tf.Tensor1D;
  dropout: number;
  training: boolean;
  seed: number;
}

/**
 * Multi-head self-attention on rows [B·T, D]: one matmul for Q, K and V, batched
 * matmuls over [B·heads, T, d], one output projection (as PyTorch's
 * nn.MultiheadAttention with in_proj and out_proj).
 */
export function selfAttention(x: tf.Tensor2D, a: AttentionArgs): tf.Tensor2D {
  const d = a.dim / a.heads;
  const qkv = tf.fused.matMul({ a: x, b: a.inWeight, bias: a.inBias });
  // [B, T, 3, H, d] → [3, B, H, T, d]
  const split = tf.transpose(tf.reshape(qkv, [a.batch, a.tokens, 3, a.heads, d]), [2, 0, 3, 1, 4]);
  const [q, k, v] = tf.unstack(tf.reshape(split, [3, a.batch * a.heads, a.tokens, d])) as [
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor3D,
  ];
  const scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(d)), k, false, true);
  const weights = dropout(tf.softmax(scores), a.dropout, a.training, a.seed);
  const heads = tf.matMul(weights, v); // [B·H, T, d]
  const merged = tf.reshape(tf.transpose(tf.reshape(heads, [a.batch, a.heads, a.tokens, d]), [0, 2, 1, 3]), [
    a.batch * a.tokens,
    a.dim,
  ]);
  return tf.fused.matMul({ a: merged as tf.Tensor2D, b: a.outWeight, bias: a.outBias }) as tf.Tensor2D;
}
