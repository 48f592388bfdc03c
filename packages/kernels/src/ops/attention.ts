import * as tf from '@tensorflow/tfjs-core';
import { dropoutParams } from '../dropout-mask.js';
import { type AttentionAttrs, KernelNames, kernelsActive } from '../wasm-kernels.js';
import { maskTensor } from './dropout.js';
import { runKernel, withGradient } from './run-kernel.js';

/** Shapes and dropout of one attention call. */
export interface AttentionShape {
  batch: number;
  tokens: number;
  heads: number;
  /** Dropout on the attention weights (0 when not training). */
  dropout: number;
  seed: number;
}

function check(qkv: tf.Tensor2D, s: AttentionShape): number {
  const [rows, cols] = qkv.shape;
  if (rows !== s.batch * s.tokens || cols % (3 * s.heads) !== 0) {
    throw new Error(
      `attention: qkv must be [batch·tokens, 3·heads·headDim] = [${s.batch}·${s.tokens}, 3·${s.heads}·d]; received [${qkv.shape}]`,
    );
  }
  return cols / (3 * s.heads);
}

/** The same computation with plain tfjs ops (rank ≤ 4 transposes) and automatic gradients. */
export function attentionPlain(qkv: tf.Tensor2D, s: AttentionShape): tf.Tensor2D {
  const d = check(qkv, s);
  const { batch: B, tokens: T, heads: H } = s;
  const D = H * d;
  return tf.tidy(() => {
    const [q, k, v] = tf.unstack(tf.transpose(tf.reshape(qkv, [B * T, 3, D]), [1, 0, 2])) as tf.Tensor2D[];
    const split = (t: tf.Tensor2D, perm: number[], shape: [number, number, number]) =>
      tf.reshape(tf.transpose(tf.reshape(t, [B, T, H, d]), perm), shape) as tf.Tensor3D;
    const qh = split(tf.mul(q!, 1 / Math.sqrt(d)) as tf.Tensor2D, [0, 2, 1, 3], [B * H, T, d]);
    const kt = split(k!, [0, 2, 3, 1], [B * H, d, T]);
    const vh = split(v!, [0, 2, 1, 3], [B * H, T, d]);
    let weights = tf.softmax(tf.matMul(qh, kt)) as tf.Tensor3D;
    if (s.dropout > 0) {
      weights = tf.mul(weights, maskTensor([B * H, T, T], dropoutParams(s.dropout, s.seed))) as tf.Tensor3D;
    }
    const out = tf.matMul(weights, vh);
    return tf.reshape(tf.transpose(tf.reshape(out, [B, H, T, d]), [0, 2, 1, 3]), [B * T, D]) as tf.Tensor2D;
  });
}

/**
 * Multi-head self-attention core, softmax(Q·Kᵀ/√d)·V per head with dropout
 * on the weights, read straight from the fused QKV projection. On WASM one
 * kernel does the forward (no transposes) and one the backward.
 *
 * Input shape: [B·T, 3·D] (Q, K, V, each split into heads as nn.MultiheadAttention).
 * Output shape: [B·T, D] (heads merged, ready for the output projection).
 */
export function attention(qkv: tf.Tensor2D, s: AttentionShape): tf.Tensor2D {
  const d = check(qkv, s);
  if (!kernelsActive()) return attentionPlain(qkv, s);
  const attrs: AttentionAttrs = {
    batch: s.batch,
    tokens: s.tokens,
    heads: s.heads,
    headDim: d,
    scale: 1 / Math.sqrt(d),
    ...dropoutParams(s.dropout, s.seed),
  };
  return withGradient<[tf.Tensor2D], tf.Tensor2D>(([x], save) => {
    const [y, probs] = runKernel<tf.Tensor[]>(KernelNames.attention, { qkv: x }, attrs);
    save([x, probs!]);
    return {
      value: y as tf.Tensor2D,
      gradFunc: (dy, [xs, p]) =>
        runKernel<tf.Tensor>(KernelNames.attentionGrad, { qkv: xs!, probs: p!, dy }, attrs),
    };
  })(qkv);
}
