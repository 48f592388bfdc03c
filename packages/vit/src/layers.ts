import './gradients.js';
import { attention, dense, geluDropout } from '@sundew/kernels';
import type * as tf from '@tensorflow/tfjs-core';

export { addDropout, dense, dropout, geluPlain as gelu, layerNorm } from '@sundew/kernels';

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
 * Multi-head self-attention on rows [B·T, D]: one matmul for Q, K and V, the
 * attention core per head (fused on WASM), one output projection (as
 * PyTorch's nn.MultiheadAttention with in_proj and out_proj).
 */
export function selfAttention(x: tf.Tensor2D, a: AttentionArgs): tf.Tensor2D {
  const qkv = dense(x, a.inWeight, a.inBias);
  const heads = attention(qkv, {
    batch: a.batch,
    tokens: a.tokens,
    heads: a.heads,
    dropout: a.training ? a.dropout : 0,
    seed: a.seed,
  });
  return dense(heads, a.outWeight, a.outBias);
}

/** The MLP block: fc1 → GELU → dropout → fc2. */
export function mlp(
  x: tf.Tensor2D,
  p: { fc1: [tf.Tensor2D, tf.Tensor1D]; fc2: [tf.Tensor2D, tf.Tensor1D] },
  o: { gelu: 'erf' | 'tanh'; dropout: number; seed: number },
): tf.Tensor2D {
  const hidden = geluDropout(dense(x, ...p.fc1), o.gelu, o.dropout, o.seed) as tf.Tensor2D;
  return dense(hidden, ...p.fc2);
}
