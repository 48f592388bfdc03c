import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  createViT,
  loadWeights,
  presets,
  resolveViTConfig,
  saveWeights,
  selectBackend,
  ViTConfigError,
  ViTInputError,
  WeightsFormatError,
  WeightsMismatchError,
} from './index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const small = {
  imageSize: [8, 8] as const,
  channels: 2,
  patchSize: 4,
  dim: 8,
  depth: 2,
  heads: 2,
  numClasses: 3,
};

/** PyTorch's parameter count of the reference architecture, written out from its modules. */
function pytorchReferenceCount(): number {
  const D = 256;
  const F = 512;
  const C = 3;
  const p = 4;
  const N = 64;
  const patchEmbed = D * C * p * p + D; // Conv2d(3, 256, 4, stride 4)
  const clsToken = D;
  const posEmbed = (N + 1) * D;
  const encoderLayer =
    3 * D * D +
    3 * D + // self_attn.in_proj_weight, in_proj_bias
    D * D +
    D + // self_attn.out_proj
    F * D +
    F + // linear1
    D * F +
    D + // linear2
    2 * (2 * D); // norm1, norm2
  const norm = 2 * D;
  const head = D * 10 + 10;
  return patchEmbed + clsToken + posEmbed + 6 * encoderLayer + norm + head;
}

describe('VisionTransformer', () => {
  it('reference preset has exactly the PyTorch original parameter count', () => {
    const model = createViT('reference');
    expect(pytorchReferenceCount()).toBe(3_195_146);
    expect(model.parameterCount()).toBe(pytorchReferenceCount());
    const logits = model.apply(tf.zeros([2, 32, 32, 3]) as tf.Tensor4D, { training: false });
    expect(logits.shape).toEqual([2, 10]);
    logits.dispose();
    model.dispose();
  });

  it('tiny preset maps [B, 28, 28, 1] to [B, 10]', () => {
    const model = createViT('tiny');
    const logits = model.apply(tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D, {
      training: false,
    });
    expect(logits.shape).toEqual([3, 10]);
    expect(logits.dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose(logits);
    model.dispose();
  });

  it.each(['post', 'pre'] as const)('%s-norm: every variable receives a non-zero gradient', (norm) => {
    const model = createViT({ ...small, norm, gelu: 'erf', seed: 3 });
    const x = tf.randomNormal([4, 8, 8, 2], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true, seed: 1 })) as tf.Scalar,
      model.trainableVariables(),
    );
    const names = model.variableNames();
    model.trainableVariables().forEach((v, i) => {
      const g = grads[v.name];
      expect(g, names[i]).toBeDefined();
      expect(tf.abs(g!).max().dataSync()[0], names[i]).toBeGreaterThan(0);
    });
    tf.dispose([value, x, y, ...Object.values(grads)]);
    model.dispose();
  });

  it('does not leak tensors over repeated forward and gradient calls', () => {
    const model = createViT({ ...small, dropout: 0.1 });
    const x = tf.randomNormal([4, 8, 8, 2]) as tf.Tensor4D;
    const run = () => {
      tf.tidy(() => {
        model.apply(x, { training: false });
        const { grads, value } = tf.variableGrads(
          () => tf.mean(model.apply(x, { training: true, seed: 2 })) as tf.Scalar,
          model.trainableVariables(),
        );
        tf.dispose([value, ...Object.values(grads)]);
      });
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('dropout is reproducible from the seed and off when not training', () => {
    const model = createViT({ ...small, dropout: 0.5 });
    const x = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
    const out = (training: boolean, seed?: number) =>
      tf.tidy(() => model.apply(x, { training, ...(seed !== undefined ? { seed } : {}) }).dataSync());
    expect(out(true, 1)).toEqual(out(true, 1));
    expect(out(true, 1)).not.toEqual(out(true, 2));
    expect(out(false)).toEqual(out(false, 9));
    model.dispose();
  });

  it('same seed, same weights; another seed, other weights', () => {
    const w = (seed: number) => {
      const m = createViT({ ...small, seed });
      const v = m.trainableVariables()[0]!.dataSync().slice();
      m.dispose();
      return v;
    };
    expect(w(1)).toEqual(w(1));
    expect(w(1)).not.toEqual(w(2));
  });

  it('rejects images of the wrong shape with the expected shape in the message', () => {
    const model = createViT({ ...small });
    const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    expect(() => model.apply(x, { training: false })).toThrow(ViTInputError);
    expect(() => model.apply(x, { training: false })).toThrow(
      /expected images of shape \[batch, 8, 8, 2\]; received \[2, 28, 28, 1\]/,
    );
    x.dispose();
    model.dispose();
  });

  it('counts FLOPs that grow linearly with the batch', () => {
    const m = createViT('tiny');
    expect(m.flops(64).forward).toBe(2 * m.flops(32).forward);
    expect(m.flops(32).trainStep).toBe(3 * m.flops(32).forward);
    m.dispose();
  });
});

describe('config', () => {
  it.each([
    [{ dim: 10, heads: 4 }, /dim 10 must be divisible by heads 4/],
    [{ patchSize: 5 }, /patchSize 5 must divide the image size 28×28/],
    [{ dropout: 1 }, /dropout must be in \[0, 1\)/],
    [{ depth: 0 }, /depth must be a positive integer/],
    [{ norm: 'middle' }, /norm must be "post" or "pre"/],
    [{ width: 3 }, /unknown option "width"/],
  ])('%j is impossible', (config, message) => {
    expect(() => resolveViTConfig(config as never)).toThrow(ViTConfigError);
    expect(() => resolveViTConfig(config as never)).toThrow(message);
  });

  it('presets are complete configs', () => {
    expect(resolveViTConfig('reference')).toEqual({ ...presets.reference, imageSize: [32, 32] });
  });
});

describe('weights file', () => {
  it('round trip gives identical logits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-vit-'));
    const a = createViT({ ...small, seed: 1 });
    const b = createViT({ ...small, seed: 2 });
    const x = tf.randomNormal([3, 8, 8, 2]) as tf.Tensor4D;
    await saveWeights(a, join(dir, 'w.bin'));
    await loadWeights(b, join(dir, 'w.bin'));
    const la = a.apply(x, { training: false });
    const lb = b.apply(x, { training: false });
    expect(lb.dataSync()).toEqual(la.dataSync());
    tf.dispose([la, lb, x]);
    a.dispose();
    b.dispose();
  });

  it('detects another architecture and corrupt files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-vit-'));
    const a = createViT({ ...small });
    await saveWeights(a, join(dir, 'w.bin'));
    const other = createViT({ ...small, dim: 12 });
    await expect(loadWeights(other, join(dir, 'w.bin'))).rejects.toThrow(WeightsMismatchError);
    const bytes = await readFile(join(dir, 'w.bin'));
    await writeFile(join(dir, 'cut.bin'), bytes.subarray(0, bytes.length - 10));
    await expect(loadWeights(a, join(dir, 'cut.bin'))).rejects.toThrow(/checksum mismatch/);
    await writeFile(join(dir, 'junk.bin'), Buffer.from('hello world, not weights'));
    await expect(loadWeights(a, join(dir, 'junk.bin'))).rejects.toThrow(WeightsFormatError);
    a.dispose();
    other.dispose();
  });
});

describe('selectBackend', () => {
  it('starts wasm and cpu, and explains how to get tfjs-node', async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    await expect(selectBackend('tensorflow')).rejects.toThrow(BackendUnavailableError);
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(/npm install @tensorflow\/tfjs-node-gpu/);
    expect((await selectBackend('auto')).name).toBe('wasm');
    expect((await selectBackend('cpu')).name).toBe('cpu');
  });
});
