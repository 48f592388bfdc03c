import '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adamwUpdate,
  addDropout,
  attention,
  dense,
  dropout,
  dropoutMask,
  dropoutParams,
  geluDropout,
  kernelsActive,
  layerNorm,
  registerSundewKernels,
  sumOfSquares,
} from './index.js';

const require = createRequire(import.meta.url);

beforeAll(async () => {
  setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  registerSundewKernels();
  await tf.setBackend('wasm');
  tf.env().set('PROD', true);
});

/** Run f twice on wasm, with the fused kernels and with plain tfjs ops, and on cpu; return the three results. */
async function threeWays(
  f: () => tf.Tensor[],
): Promise<{ fused: Float32Array[]; plain: Float32Array[]; cpu: Float32Array[] }> {
  const read = () =>
    tf.tidy(f).map((t) => {
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return v;
    });
  await tf.setBackend('wasm');
  expect(kernelsActive()).toBe(true);
  const fused = read();
  tf.env().set('SUNDEW_KERNELS', false);
  expect(kernelsActive()).toBe(false);
  const plain = read();
  tf.env().set('SUNDEW_KERNELS', true);
  await tf.setBackend('cpu');
  const cpu = read();
  await tf.setBackend('wasm');
  return { fused, plain, cpu };
}

function expectClose(a: Float32Array[], b: Float32Array[], tol = 2e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, k) => {
    const y = b[k]!;
    expect(x.length).toBe(y.length);
    let scale = 1;
    for (const v of y) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    expect(worst / scale, `output ${k}`).toBeLessThan(tol);
  });
}

/** Value and gradients of sum(f(inputs) · upstream) with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed = 99): tf.Tensor[] {
  const out = f(...inputs);
  const up = tf.randomNormal(out.shape, 0, 1, 'float32', seed);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), up)))(inputs);
  return [out, ...grads];
}

const rand = (shape: number[], seed: number, scale = 1) =>
  tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);

describe('fused kernels equal the plain tfjs ops (forward and gradients)', () => {
  it('layerNorm', async () => {
    const r = await threeWays(() =>
      valueAndGrads(
        (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
        [rand([37, 24], 1, 3), rand([24], 2), rand([24], 3)],
      ),
    );
    expectClose(r.fused, r.plain);
    expectClose(r.fused, r.cpu);
  });

  it.each([
    ['tanh', 0],
    ['erf', 0],
    ['tanh', 0.3],
    ['erf', 0.1],
  ] as const)('geluDropout %s, rate %s', async (kind, rate) => {
    const r = await threeWays(() =>
      valueAndGrads((x) => geluDropout(x, kind, rate, 7), [rand([33, 40], 4, 3)]),
    );
    expectClose(r.fused, r.plain, 1e-5);
    expectClose(r.fused, r.cpu, 1e-5);
  });

  it('dropout and addDropout', async () => {
    const r = await threeWays(() => [
      ...valueAndGrads((x) => dropout(x, 0.25, 3), [rand([50, 30], 5)]),
      ...valueAndGrads((x, b) => addDropout(x, b, 0.4, 11), [rand([50, 30], 6), rand([50, 30], 7)]),
    ]);
    expectClose(r.fused, r.plain);
    expectClose(r.fused, r.cpu);
  });

  it.each([0, 0.2])('attention, dropout %s', async (rate) => {
    const [B, T, H, d] = [3, 5, 2, 4];
    const r = await threeWays(() =>
      valueAndGrads(
        (qkv) => attention(qkv as tf.Tensor2D, { batch: B, tokens: T, heads: H, dropout: rate, seed: 5 }),
        [rand([B * T, 3 * H * d], 8, 2)],
      ),
    );
    expectClose(r.fused, r.plain);
    expectClose(r.fused, r.cpu);
  });

  it('dense (bias gradient by column sums)', async () => {
    const r = await threeWays(() =>
      valueAndGrads(
        (x, w, b) => dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
        [rand([21, 9], 9), rand([9, 13], 10), rand([13], 11)],
      ),
    );
    expectClose(r.fused, r.plain);
    expectClose(r.fused, r.cpu);
  });

  it('adamwUpdate and sumOfSquares', async () => {
    const step = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, step: 3 };
    const r = await threeWays(() => [
      ...adamwUpdate(rand([40], 12), rand([40], 13), rand([40], 14, 0.1), tf.abs(rand([40], 15, 0.01)), step),
      sumOfSquares([rand([40], 16), rand([3, 7], 17)]),
    ]);
    expectClose(r.fused, r.plain);
    expectClose(r.fused, r.cpu);
  });
});

describe('dropout masks', () => {
  it('the TypeScript mask equals the kernel mask and keeps about 1 − rate', () => {
    const p = dropoutParams(0.3, 42);
    const js = dropoutMask(10_000, p);
    const kernel = tf.tidy(() => dropout(tf.ones([10_000]), 0.3, 42).dataSync());
    expect(Array.from(kernel)).toEqual(Array.from(js));
    const kept = js.filter((v) => v > 0).length / js.length;
    expect(kept).toBeGreaterThan(0.68);
    expect(kept).toBeLessThan(0.72);
    expect(js.filter((v) => v > 0).every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
  });

  it('differs between seeds and is reproducible for a seed', () => {
    const a = dropoutMask(1000, dropoutParams(0.5, 1));
    const b = dropoutMask(1000, dropoutParams(0.5, 2));
    expect(Array.from(a)).toEqual(Array.from(dropoutMask(1000, dropoutParams(0.5, 1))));
    expect(a.some((v, i) => v !== b[i])).toBe(true);
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => dropoutParams(1, 0)).toThrow(/\[0, 1\)/);
    expect(() => dropoutParams(-0.1, 0)).toThrow(/received -0.1/);
  });
});

describe('fused kernels are safe', () => {
  it('NaN and Inf inputs propagate instead of trapping', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [Number.NaN, 1, 2, 3],
        [Number.POSITIVE_INFINITY, 0, 1, -1],
      ]);
      expect(Number.isNaN(geluDropout(x, 'tanh').dataSync()[0]!)).toBe(true);
      expect(Number.isNaN(layerNorm(x, tf.ones([4]), tf.zeros([4])).dataSync()[0]!)).toBe(true);
      const qkv = tf.fill([2, 6], Number.NaN) as tf.Tensor2D;
      expect(
        Number.isNaN(attention(qkv, { batch: 1, tokens: 2, heads: 1, dropout: 0, seed: 0 }).dataSync()[0]!),
      ).toBe(true);
    });
  });

  it('produces no subnormal floats (WASM SIMD on x86 runs them ~100× slower): tiny results flush to zero', () => {
    tf.tidy(() => {
      const subnormal = (t: tf.Tensor) =>
        Array.from(t.dataSync()).filter((v) => v !== 0 && Math.abs(v) < 1.2e-38);
      const x = tf.tensor1d([-200, -120, -90, -40, -12, 0, 3]);
      const up = tf.fill([7], 1e-12);
      const [value, grad] = [
        geluDropout(x, 'erf'),
        tf.grad((u) => tf.sum(tf.mul(geluDropout(u, 'tanh'), up)))(x),
      ];
      expect(subnormal(value!)).toEqual([]);
      expect(subnormal(grad!)).toEqual([]);
      // Very peaked attention: e^(s − max) underflows for most keys.
      const qkv = tf.mul(tf.randomNormal([2 * 6, 3 * 8], 0, 1, 'float32', 3), 40) as tf.Tensor2D;
      const shape = { batch: 2, tokens: 6, heads: 1, dropout: 0, seed: 0 };
      expect(subnormal(attention(qkv, shape))).toEqual([]);
      expect(subnormal(tf.grad((q) => tf.sum(attention(q as tf.Tensor2D, shape)))(qkv))).toEqual([]);
    });
  });

  it('names the wrong shape or dtype instead of reading past a buffer', () => {
    tf.tidy(() => {
      const x = tf.ones([4, 6]) as tf.Tensor2D;
      expect(() => layerNorm(x, tf.ones([5]), tf.zeros([6]))).toThrow(
        'layerNorm: expected x [N, D] with gamma and beta [D]; received x [4,6], gamma [5], beta [6]',
      );
      expect(() => dense(x, tf.ones([5, 3]) as tf.Tensor2D, tf.zeros([3]))).toThrow(
        'dense: expected x [N, K], W [K, M] and b [M]; received x [4,6], W [5,3], b [3]',
      );
      expect(() => attention(x, { batch: 2, tokens: 3, heads: 1, dropout: 0, seed: 0 })).toThrow(
        /attention: qkv must be \[batch·tokens, 3·heads·headDim\]/,
      );
      expect(() => dropout(tf.ones([3], 'int32'), 0.5, 1)).toThrow(
        'SundewDropout: input "x" must be float32; received int32',
      );
    });
  });

  it('a training step leaks no tensors', () => {
    const x = rand([20, 12], 1) as tf.Tensor2D;
    const vars = [
      tf.variable(rand([12, 12], 2)),
      tf.variable(tf.zeros([12])),
      tf.variable(tf.ones([12])),
      tf.variable(tf.zeros([12])),
    ];
    const step = () =>
      tf
        .tidy(() => {
          const { grads, value } = tf.variableGrads(() => {
            const h = layerNorm(
              dense(x, vars[0] as tf.Variable<tf.Rank.R2>, vars[1] as tf.Variable<tf.Rank.R1>),
              vars[2] as tf.Variable<tf.Rank.R1>,
              vars[3] as tf.Variable<tf.Rank.R1>,
            );
            const a = attention(addDropout(h, geluDropout(h, 'tanh', 0.1, 1) as tf.Tensor2D, 0.1, 2), {
              batch: 4,
              tokens: 5,
              heads: 1,
              dropout: 0.1,
              seed: 3,
            });
            return tf.sum(tf.square(a)) as tf.Scalar;
          });
          sumOfSquares(Object.values(grads)).dataSync();
          return value;
        })
        .dispose();
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
