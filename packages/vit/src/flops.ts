import type { FlopCount } from '@sundew/types';
import { patchCount, type ViTConfig } from './config.js';

/**
 * Floating-point operations (multiply and add counted as 2) of the matmuls of
 * one forward pass — patch embedding, Q/K/V, attention scores, attention × V,
 * output projection, MLP, head — plus ~10 per element for LayerNorm, softmax
 * and GELU. A training step counts 3× the forward (forward + gradients with
 * respect to inputs and to weights).
 */
export function vitFlops(c: ViTConfig, batchSize: number): FlopCount {
  const N = patchCount(c);
  const T = N + 1;
  const D = c.dim;
  const F = c.dim * c.mlpRatio;
  const P = c.patchSize * c.patchSize * c.channels;
  const rows = batchSize * T;
  const perLayer =
    2 * rows * D * 3 * D + // Q, K, V
    2 * 2 * batchSize * T * T * D + // scores and attention × V, over all heads
    2 * rows * D * D + // output projection
    2 * 2 * rows * D * F + // MLP
    10 * (2 * rows * D + batchSize * c.heads * T * T + rows * F); // norms, softmax, GELU
  const forward = 2 * batchSize * N * P * D + c.depth * perLayer + 2 * batchSize * D * c.numClasses;
  return { forward, trainStep: 3 * forward };
}
