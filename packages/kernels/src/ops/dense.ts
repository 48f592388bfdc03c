import * as tf from '@tensorflow/tfjs-core';
import { KernelNames, kernelsActive } from '../wasm-kernels.js';
import { runKernel, withGradient } from './run-kernel.js';

/** Σ over the rows of [N, M] → [M] (a bias gradient). */
export function columnSum(x: tf.Tensor2D): tf.Tensor1D {
  return kernelsActive() ? runKernel<tf.Tensor1D>(KernelNames.columnSum, { x }) : tf.sum(x, 0);
}

/*
 * x·W + b with a hand-written gradient: WASM runs a
 * matmul with a transposed operand ~10× slower than an explicit transpose
 * followed by a plain matmul, and the automatic gradient of matMul uses
 * transposed operands. So dx = dy·transpose(W), dW = transpose(x)·dy, db = Σ dy.
 */
const denseWithGradient = withGradient<[tf.Tensor2D, tf.Tensor2D, tf.Tensor1D], tf.Tensor2D>(
  ([x, w, b], save) => {
    save([x, w]);
    return {
      value: tf.fused.matMul({ a: x, b: w, bias: b }) as tf.Tensor2D,
      gradFunc: (dy, [xs, ws]) => [
        tf.matMul(dy, tf.transpose(ws!)),
        tf.matMul(tf.transpose(xs!), dy),
        columnSum(dy as tf.Tensor2D),
      ],
    };
  },
);

/**
 * x·W + b on rows [N, K] × [K, M], with explicit-transpose gradients (fast on WASM).
 *
 * Input shape: [N, K]; W: [K, M]; b: [M]. Output shape: [N, M].
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0] || b.shape.join() !== `${w.shape[1]}`) {
    throw new Error(
      `dense: expected x [N, K], W [K, M] and b [M]; received x [${x.shape}], W [${w.shape}], b [${b.shape}]`,
    );
  }
  return denseWithGradient(x, w, b);
}
