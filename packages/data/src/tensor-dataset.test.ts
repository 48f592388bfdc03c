import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { allSamples, sampleBatches } from './sample-batches.js';
import { fromTfDataset, tensorDataset } from './tensor-dataset.js';

/** The parts of a tf.Tensor a dataset reads, counting disposals. */
const fakeTensor = (values: number[], shape: number[], dtype = 'float32') => {
  const t = { shape, dtype, dataSync: () => Float32Array.from(values), disposed: false, dispose: () => {} };
  t.dispose = () => {
    t.disposed = true;
  };
  return t;
};

describe('tensorDataset', () => {
  it('holds any input shape and target kind, sample i at index i', () => {
    const x = { values: Float32Array.from({ length: 24 }, (_, i) => i), shape: [4, 3, 2] };
    const d = tensorDataset(x, Int32Array.from([3, 1, 0, 2]));
    expect([d.count, d.xShape, d.xDtype, d.yShape, d.yDtype]).toEqual([4, [3, 2], 'float32', [], 'int32']);
    const b = d.gather(Int32Array.from([2, 0]));
    expect(Array.from(b.x)).toEqual([12, 13, 14, 15, 16, 17, 0, 1, 2, 3, 4, 5]);
    expect(Array.from(b.y)).toEqual([0, 3]);
    expect(Array.from(b.indices)).toEqual([2, 0]);
    const tokens = tensorDataset(fakeTensor([1, 2, 3, 4], [2, 2], 'int32'), {
      values: Float32Array.from([0, 1, 1, 0]),
      shape: [2, 2],
    });
    expect([tokens.xDtype, tokens.yShape, tokens.yDtype]).toEqual(['int32', [2], 'float32']);
  });

  it('hands every target without the inputs (targets(): what gather of all gives, a copy)', () => {
    const x = { values: new Float32Array(8), shape: [4, 2] };
    const y = { values: Float32Array.from([0, 1, 1, 0, 1, 1, 0, 0]), shape: [4, 2] };
    const d = tensorDataset(x, y);
    const all = allSamples(d).y;
    const targets = d.targets!();
    expect(targets).toEqual(all);
    targets[0] = 7;
    expect(d.targets!()[0]).toBe(0);
  });

  it('batches in a seeded order that covers every sample once per epoch', () => {
    const d = tensorDataset({ values: new Float32Array(10), shape: [10, 1] }, new Float32Array(10));
    const seen = [...sampleBatches(d, { batchSize: 4, seed: 1, epoch: 0 })].flatMap((b) =>
      Array.from(b.indices),
    );
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    const again = [...sampleBatches(d, { batchSize: 4, seed: 1, epoch: 0 })].flatMap((b) =>
      Array.from(b.indices),
    );
    expect(again).toEqual(seen);
    expect(Array.from(allSamples(d).indices)).toEqual([...Array(10).keys()]);
  });

  it('names what is wrong: length mismatch, shape, non-finite values, a bare x array', () => {
    const x = { values: new Float32Array(6), shape: [3, 2] };
    expect(() => tensorDataset(x, new Int32Array(2))).toThrow(/x has 3 samples but y has 2/);
    expect(() => tensorDataset({ values: new Float32Array(5), shape: [3, 2] }, new Int32Array(3))).toThrow(
      /x has shape \[3, 2\] but 5 values/,
    );
    expect(() =>
      tensorDataset({ values: Float32Array.from([0, Number.NaN]), shape: [2, 1] }, new Int32Array(2)),
    ).toThrow(/non-finite value \(NaN\) at flat index 1/);
    expect(() => tensorDataset(new Float32Array(4), new Int32Array(4))).toThrow(DatasetError);
  });
});

describe('fromTfDataset', () => {
  const source = (elements: unknown[]) => ({
    iterator: async () => {
      let i = 0;
      return {
        next: async () =>
          i < elements.length ? { done: false, value: elements[i++] } : { done: true, value: null },
      };
    },
  });

  it('reads {xs, ys} samples (or batches) in order, with stable indices, and disposes the elements', async () => {
    const els = [0, 1, 2].map((i) => ({
      xs: fakeTensor([i, i + 0.5], [2]),
      ys: fakeTensor([i], [], 'int32'),
    }));
    const d = await fromTfDataset(source(els));
    expect([d.count, d.xShape, d.yShape, d.yDtype]).toEqual([3, [2], [], 'int32']);
    expect(Array.from(d.gather(Int32Array.from([1])).x)).toEqual([1, 1.5]);
    expect(els.every((e) => e.xs.disposed && e.ys.disposed)).toBe(true);
    const batched = await fromTfDataset(
      source([
        { xs: fakeTensor([0, 1, 2, 3], [2, 2]), ys: fakeTensor([5, 6], [2, 1]) },
        { xs: fakeTensor([4, 5], [1, 2]), ys: fakeTensor([7], [1, 1]) },
      ]),
      { batched: true },
    );
    expect([batched.count, batched.xShape, batched.yShape]).toEqual([3, [2], [1]]);
    expect(Array.from(allSamples(batched).y)).toEqual([5, 6, 7]);
  });

  it('names elements that are not {xs, ys} or change shape', async () => {
    await expect(fromTfDataset(source([{ x: 1 }]))).rejects.toThrow(/element 0 is not \{ xs, ys \}/);
    await expect(
      fromTfDataset(
        source([
          { xs: fakeTensor([0, 1], [2]), ys: fakeTensor([0], []) },
          { xs: fakeTensor([0, 1, 2], [3]), ys: fakeTensor([0], []) },
        ]),
      ),
    ).rejects.toThrow(/element 1 has xs \[1,3\].*pass batched: true/);
    await expect(fromTfDataset(source([]))).rejects.toThrow(/empty/);
  });
});
