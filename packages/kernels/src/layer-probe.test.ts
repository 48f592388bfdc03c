import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSundewKernels } from './index.js';
import { probeCases, probeLayers } from './layer-probe.js';

const require = createRequire(import.meta.url);

// Its own test file, so its own worker: these run before any kernel is registered.
beforeAll(async () => {
  setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  tf.env().set('PROD', true);
  await tf.setBackend('wasm');
});

describe('tf.layers train on wasm with the gradient kernels', () => {
  it('without them, convolutions and embeddings fail on a missing kernel', async () => {
    const cases = probeCases.filter((c) => ['conv2d', 'depthwiseConv2d', 'embedding'].includes(c.layer));
    const results = await probeLayers('wasm', cases);
    expect(results.map((r) => r.trains)).toEqual([false, false, false]);
    expect(results.map((r) => /Kernel '(\w+)' not registered/.exec(r.error ?? '')?.[1])).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
    ]);
  });

  it('with them, every probed layer trains with the cpu backend’s gradients, tensors flat', async () => {
    registerSundewKernels();
    await probeLayers('wasm', probeCases.slice(0, 1)); // warm-up: the first model builds tfjs-layers' cached tensors
    const before = tf.memory().numTensors;
    const results = await probeLayers('wasm');
    expect(tf.memory().numTensors).toBe(before);
    for (const r of results) {
      expect(r.error, r.layer).toBeUndefined();
      expect(r.trains, r.layer).toBe(true);
      expect(r.gradError!, r.layer).toBeLessThan(1e-5);
    }
    expect(results.length).toBe(probeCases.length);
  });
});
