import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { dense, gelu, selfAttention } from './layers.js';

/** The plain formulation the optimised layers must equal: automatic gradients, rank-5 transposes. */
function plainAttention(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  wo: tf.Tensor2D,
  bo: tf.Tensor1D,
  B: number,
  T: number,
  H: number,
) {
  const D = w.shape[0];
  const d = D / H;
  const qkv = tf.add(tf.matMul(x, w), b);
  const split = tf.transpose(tf.reshape(qkv, [B, T, 3, H, d]), [2, 0, 3, 1, 4]);
  const [q, k, v] = tf.unstack(tf.reshape(split, [3, B * H, T, d])) as tf.Tensor3D[];
  const weights = tf.softmax(tf.matMul(tf.mul(q!, 1 / Math.sqrt(d)), k!, false, true));
  const heads = tf.matMul(weights, v!);
  const merged = tf.reshape(tf.transpose(tf.reshape(heads, [B, H, T, d]), [0, 2, 1, 3]), [
    B * T,
    D,
  ]) as tf.Tensor2D;
  return tf.add(tf.matMul(merged, wo), bo) as tf.Tensor2D;
}

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-4) => {
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
  const scale = Math.max(1, tf.max(tf.abs(b)).dataSync()[0]!);
  expect(diff / scale).toBeLessThan(tol);
};

describe.each(['cpu', 'wasm'] as const)('optimised layers equal the plain ones (%s)', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it('dense: output and gradients of x, W, b', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([12, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
      const w = tf.randomNormal([5, 7], 0, 1, 'float32', 2) as tf.Tensor2D;
      const b = tf.randomNormal([7], 0, 1, 'float32', 3) as tf.Tensor1D;
      const up = tf.randomNormal([12, 7], 0, 1, 'float32', 4);
      const loss =
        (f: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) =>
        (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(f(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D), up));
      close(dense(x, w, b), tf.add(tf.matMul(x, w), b));
      const fast = tf.grads(loss(dense))([x, w, b]);
      const plain = tf.grads(loss((xx, ww, bb) => tf.add(tf.matMul(xx, ww), bb)))([x, w, b]);
      fast.forEach((g, i) => close(g, plain[i]!));
    });
  });

  it('self-attention: output and gradients of every input', () => {
    tf.tidy(() => {
      const [B, T, H, D] = [3, 5, 2, 8];
      const x = tf.randomNormal([B * T, D], 0, 1, 'float32', 5) as tf.Tensor2D;
      const w = tf.randomNormal([D, 3 * D], 0, 0.3, 'float32', 6) as tf.Tensor2D;
      const b = tf.randomNormal([3 * D], 0, 0.1, 'float32', 7) as tf.Tensor1D;
      const wo = tf.randomNormal([D, D], 0, 0.3, 'float32', 8) as tf.Tensor2D;
      const bo = tf.randomNormal([D], 0, 0.1, 'float32', 9) as tf.Tensor1D;
      const up = tf.randomNormal([B * T, D], 0, 1, 'float32', 10);
      const fast = (...t: tf.Tensor[]) =>
        selfAttention(t[0] as tf.Tensor2D, {
          batch: B,
          tokens: T,
          heads: H,
          dim: D,
          inWeight: t[1] as tf.Tensor2D,
          inBias: t[2] as tf.Tensor1D,
          outWeight: t[3] as tf.Tensor2D,
          outBias: t[4] as tf.Tensor1D,
          dropout: 0,
          training: false,
          seed: 0,
        });
      const plain = (...t: tf.Tensor[]) =>
        plainAttention(
          t[0] as tf.Tensor2D,
          t[1] as tf.Tensor2D,
          t[2] as tf.Tensor1D,
          t[3] as tf.Tensor2D,
          t[4] as tf.Tensor1D,
          B,
          T,
          H,
        );
      const inputs = [x, w, b, wo, bo];
      close(fast(...inputs), plain(...inputs));
      const gf = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(fast(...t), up)))(inputs);
      const gp = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(plain(...t), up)))(inputs);
      gf.forEach((g, i) => close(g, gp[i]!));
    });
  });

  it('tanh GELU equals its formula with pow', () => {
    tf.tidy(() => {
      const x = tf.linspace(-6, 6, 101);
      const ref = tf.mul(
        tf.mul(x, 0.5),
        tf.add(tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI))), 1),
      );
      close(gelu(x, 'tanh'), ref, 1e-6);
    });
  });
});
