import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  attention,
  layerNorm,
  registerSundewKernels,
  ThreadedWasmError,
  useThreadedWasm,
  wasmGradientKernelConfigs,
} from './index.js';
import { sharedIdentityConfig } from './wasm-kernels.js';

// Its own test file, so its own worker: the threaded build replaces the `wasm` backend.
beforeAll(async () => {
  registerSundewKernels();
  await useThreadedWasm(2);
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('useThreadedWasm', () => {
  it('runs the wasm backend on 2 threads with a shared memory', () => {
    const backend = tf.backend() as unknown as {
      wasm: { tfjs: { getThreadsCount(): number }; wasmMemory: { buffer: unknown } };
    };
    expect(backend.wasm.tfjs.getThreadsCount()).toBe(2);
    expect(backend.wasm.wasmMemory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('computes a matmul and the fused kernels as the plain ops do', () => {
    tf.tidy(() => {
      const a = tf.randomNormal([300, 200], 0, 1, 'float32', 1);
      const b = tf.randomNormal([200, 100], 0, 1, 'float32', 2);
      const got = tf.matMul(a, b).arraySync() as number[][];
      const want = a.arraySync() as number[][];
      const bb = b.arraySync() as number[][];
      let expected = 0;
      for (let k = 0; k < 200; k++) expected += want[7]![k]! * bb[k]![3]!;
      expect(got[7]![3]!).toBeCloseTo(expected, 3);
      const x = tf.randomNormal([6, 24], 0, 1, 'float32', 3) as tf.Tensor2D;
      const run = () => [
        layerNorm(x, tf.ones([24]), tf.zeros([24])).dataSync(),
        attention(x, { batch: 2, tokens: 3, heads: 2, dropout: 0.2, seed: 1 }).dataSync(),
      ];
      const fused = run();
      tf.env().set('SUNDEW_KERNELS', false);
      const plain = run();
      tf.env().set('SUNDEW_KERNELS', true);
      fused.forEach((f, k) => f.forEach((v, i) => expect(v).toBeCloseTo(plain[k]![i]!, 5)));
    });
  });

  it('keeps our kernels when tfjs-backend-wasm is imported after them (useThreadedWasm imports it)', () => {
    // Registered in beforeAll before the import; re-asserted when the backend was set up.
    expect(tf.getKernel('Identity', 'wasm')).toBe(sharedIdentityConfig);
    const maxPoolGrad = wasmGradientKernelConfigs.find((c) => c.kernelName === 'MaxPoolGrad');
    expect(tf.getKernel('MaxPoolGrad', 'wasm')).toBe(maxPoolGrad);
  });

  it('runs the gradient kernels on the shared memory (conv2d and maxPool gradients = cpu)', async () => {
    const f = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
        const w = tf.randomNormal([3, 3, 3, 8], 0, 1, 'float32', 5) as tf.Tensor4D;
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), 2, 2, 'valid')),
        )([x, w]);
        return [dx!.dataSync(), dw!.dataSync()];
      });
    const threaded = f();
    await tf.setBackend('cpu');
    const cpu = f();
    await tf.setBackend('wasm');
    threaded.forEach((t, k) => t.forEach((v, i) => expect(v).toBeCloseTo(cpu[k]![i]!, 4)));
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(useThreadedWasm(0)).rejects.toThrow(ThreadedWasmError);
    await expect(useThreadedWasm(1.5)).rejects.toThrow(/positive integer; received 1.5/);
  });
});
