import * as tf from '@tensorflow/tfjs-core';
import { KernelNames, kernelsActive } from '../wasm-kernels.js';
import { runKernel, withGradient } from './run-kernel.js';

/** Σ over the rows of [N, M] → [M] (a bias gradient). */
export function columnSum(x: tf.Tensor2D): tf.Tensor1D {
  return kernelsActive() ? runKernel<tf.Tensor1D>(KernelNames.columnSum, { x }) : tf.sum(x, 0);
}

/**
 * x·W + b on rows [N, K] × [K, M] with a hand-written gradient: WASM runs a
 * matmul with a transposed operand ~10× slower than an explicit transpose
 * followed by a plain matmul, and the automatic gradient of matMul uses
 * transposed operands. So dx = dy·transpose(W), dW = transpose(x)·dy, db = Σ dy.
 *
 * Input shape: [N, K]; W: [K, M]; b: [M]. Output shape: [N, M].
 */
export const dense = withGradient<[tf.Tensor2D, tf.Tensor2D, tf.Tensor1D], tf.Tensor2D>(([x, w, b], save) => {
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: w, bias: b }) as tf.Tensor2D,
    gradFunc: (dy, [xs, ws]) => [
      tf.matMul(dy, tf.transpose(ws!)),
      tf.matMul(tf.transpose(xs!), dy),
      columnSum(dy as tf.Tensor2D),
    ],
  };
});
