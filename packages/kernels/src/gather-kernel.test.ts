import '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmGradientKernels } from './index.js';

const require = createRequire(import.meta.url);

beforeAll(async () => {
  setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  tf.env().set('PROD', true);
});

async function on(
  backend: string,
  f: () => tf.Tensor,
): Promise<{ shape: number[]; dtype: string; values: number[] }> {
  await tf.setBackend(backend);
  const t = f();
  const out = { shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync() as ArrayLike<number>) };
  tf.dispose(t);
  await tf.setBackend('wasm');
  return out;
}

describe('GatherV2 (row copies) = cpu', () => {
  // [x shape, x dtype, indices shape, axis, batchDims]
  const cases: [number[], 'float32' | 'int32' | 'bool', number[], number, number][] = [
    [[10, 7], 'float32', [6], 0, 0],
    [[10, 7], 'int32', [2, 3], 0, 0],
    [[4, 9, 3], 'float32', [5], 1, 0],
    [[4, 9, 3], 'float32', [4, 2], 2, 0],
    [[3, 6, 5], 'float32', [3, 4], 1, 1],
    [[64, 28, 28, 1], 'float32', [64], 0, 0],
    [[5, 4], 'bool', [3], 0, 0], // tfjs-backend-wasm's own kernel
    [[6], 'float32', [0], 0, 0],
  ];
  it.each(cases)('x %j %s, indices %j, axis %d, batchDims %d', async (xs, dtype, is, axis, batchDims) => {
    const f = () =>
      tf.tidy(() => {
        const normal = tf.randomNormal(xs, 0, 1, 'float32', 1);
        // (tfjs-backend-wasm 4.22's Cast to bool keeps the raw bytes, so a comparison makes the bools.)
        const x = dtype === 'bool' ? tf.greater(normal, 0) : tf.cast(tf.mul(normal, 5), dtype);
        const limit = xs[axis]!;
        const ids = tf.cast(tf.randomUniform(is, 0, limit, 'float32', 2), 'int32');
        return tf.gather(x, ids, axis, batchDims);
      });
    expect(await on('wasm', f)).toEqual(await on('cpu', f));
  });

  it('names an index out of range, as tfjs does, and leaks nothing', () => {
    const x = tf.zeros([4, 3]);
    const before = tf.memory().numTensors;
    expect(() => tf.gather(x, tf.tensor1d([1, 4], 'int32'))).toThrow(
      'GatherV2: the index value 4 is not in [0, 3]',
    );
    expect(() => tf.gather(x, tf.tensor1d([-1], 'int32'))).toThrow(
      'GatherV2: the index value -1 is not in [0, 3]',
    );
    expect(tf.memory().numTensors).toBe(before + 2); // the two index tensors made above
    x.dispose();
  });
});
