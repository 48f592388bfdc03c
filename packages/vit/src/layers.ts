import './gradients.js';
import * as tf from '@tensorflow/tfjs-core';

/** LayerNorm over the last axis of [N, D] (eps 1e-5, PyTorch's). */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
}

/**
 * x·W + b on rows [N, K] × [K, M], with a hand-written gradient: the WASM
 * backend runs a matmul with a transposed operand ~10× slower than an explicit
 * transpose followed by a plain matmul (measured: 1.7 vs 14 GFLOP/s), and the
 * automatic gradient of matMul uses transposed operands. So dx = dy·transpose(W),
 * dW = transpose(x)·dy, db = Σ dy.
 */
const denseWithGradient = tf.customGrad(((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: w, bias: b }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g), tf.sum(g, 0)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

export const dense = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D =>
  denseWithGradient(x, w, b) as tf.Tensor2D;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU: exact (erf, PyTorch's default) or the tanh approximation. */
export function gelu(x: tf.Tensor, kind: 'erf' | 'tanh'): tf.Tensor {
  if (kind === 'erf') return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  // x·x·x, not pow(x, 3): pow is a slow general kernel.
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
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
  const { batch: B, tokens: T, heads: H } = a;
  const qkv = dense(x, a.inWeight, a.inBias);
  // Only rank ≤ 4 transposes: the WASM backend's rank-5 transpose is ~40× slower.
  const [q, k, v] = tf.unstack(tf.transpose(tf.reshape(qkv, [B * T, 3, a.dim]), [1, 0, 2])) as [
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor2D,
  ];
  const heads = (t: tf.Tensor2D, perm: number[], shape: [number, number, number]) =>
    tf.reshape(tf.transpose(tf.reshape(t, [B, T, H, d]), perm), shape) as tf.Tensor3D;
  const qh = heads(tf.mul(q, 1 / Math.sqrt(d)) as tf.Tensor2D, [0, 2, 1, 3], [B * H, T, d]);
  const kt = heads(k, [0, 2, 3, 1], [B * H, d, T]); // Kᵀ laid out for a plain matmul
  const vh = heads(v, [0, 2, 1, 3], [B * H, T, d]);
  const weights = dropout(tf.softmax(tf.matMul(qh, kt)), a.dropout, a.training, a.seed);
  const out = tf.matMul(weights, vh); // [B·H, T, d]
  const merged = tf.reshape(tf.transpose(tf.reshape(out, [B, H, T, d]), [0, 2, 1, 3]), [
    B * T,
    a.dim,
  ]) as tf.Tensor2D;
  return dense(merged, a.outWeight, a.outBias);
}
