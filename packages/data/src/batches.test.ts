import { describe, expect, it } from 'vitest';
import {
  batchCount,
  batches,
  DatasetError,
  datasetStatistics,
  gatherBatch,
  imageSamples,
  limitDataset,
  makeSyntheticDataset,
  wholeDataset,
} from './index.js';

const ds = makeSyntheticDataset({ count: 50, shape: [6, 6, 2], numClasses: 5, seed: 1 });

describe('batches', () => {
  it('covers every sample once per epoch, with indices travelling with the batch', () => {
    const seen: number[] = [];
    for (const b of batches(ds, { batchSize: 16, seed: 3 })) {
      expect(b.images.length).toBe(b.size * 72);
      for (let i = 0; i < b.size; i++) expect(b.labels[i]).toBe(ds.labels[b.indices[i]!]);
      seen.push(...b.indices);
    }
    expect(seen).toHaveLength(50);
    expect(new Set(seen).size).toBe(50);
    expect(batchCount(ds, { batchSize: 16 })).toBe(4);
    expect(batchCount(ds, { batchSize: 16, dropLast: true })).toBe(3);
  });

  it('depends on (seed, epoch) only, and resumes at any batch', () => {
    const a = [...batches(ds, { batchSize: 8, seed: 1, epoch: 2 })];
    const b = [...batches(ds, { batchSize: 8, seed: 1, epoch: 2, startBatch: 3 })];
    expect(b[0]!.indices).toEqual(a[3]!.indices);
    expect(b[0]!.images).toEqual(a[3]!.images);
    const other = [...batches(ds, { batchSize: 8, seed: 1, epoch: 3 })];
    expect(other[0]!.indices).not.toEqual(a[0]!.indices);
  });

  it('normalises to zero mean and unit variance with the dataset statistics', () => {
    const stats = datasetStatistics(ds);
    const all = wholeDataset(ds, stats);
    let sum = 0;
    let sq = 0;
    for (const v of all.images) {
      sum += v;
      sq += v * v;
    }
    const n = all.images.length;
    expect(sum / n).toBeCloseTo(0, 4);
    expect(sq / n).toBeCloseTo(1, 3);
  });

  it('gives every pixel exactly float32(byte · 1/(255·std) − mean/std) of its channel, plain and augmented', () => {
    // Every byte value in every channel, 3 channels with different statistics.
    const images = Uint8Array.from({ length: 4 * 8 * 8 * 3 }, (_, i) => (i * 7) % 256);
    const three = {
      ...ds,
      name: 'bytes',
      shape: [8, 8, 3] as [number, number, number],
      count: 4,
      images,
      labels: new Uint8Array(4),
    };
    const norm = { mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] };
    const expected = (byte: number, ch: number) =>
      Math.fround(byte * (1 / (255 * norm.std[ch]!)) - norm.mean[ch]! / norm.std[ch]!);
    const plain = gatherBatch(three, Int32Array.from([2, 0]), norm);
    for (let k = 0; k < 2; k++) {
      const src = [2, 0][k]! * 192;
      for (let p = 0; p < 192; p++) expect(plain.images[k * 192 + p]).toBe(expected(images[src + p]!, p % 3));
    }
    // A crop by a whole image width: only padding left, which is byte 0 normalised.
    const shifted = gatherBatch(three, Int32Array.from([1]), norm, {
      padding: 8,
      flip: false,
      random: () => 0,
    });
    for (let p = 0; p < 192; p++) expect(shifted.images[p]).toBe(expected(0, p % 3));
  });

  it('imageSamples hands its labels without the images (targets(): what gather of all gives)', () => {
    const samples = imageSamples(ds);
    const all = samples.gather(Int32Array.from({ length: ds.count }, (_, i) => i));
    expect(samples.targets!()).toEqual(all.y);
    expect(samples.targets!()).toBeInstanceOf(Int32Array);
  });

  it('augments reproducibly: crops within the padding and flips', () => {
    const norm = { mean: [0, 0], std: [1 / 255, 1 / 255] }; // identity on raw pixels
    const flipOnly = gatherBatch(ds, Int32Array.of(0), norm, { padding: 0, flip: true, random: () => 0.1 });
    const plain = gatherBatch(ds, Int32Array.of(0), norm);
    // Row 0, pixel x=0 of the flipped image is pixel x=5 of the original.
    expect(flipOnly.images[0]).toBe(plain.images[5 * 2]);
    const a = [...batches(ds, { batchSize: 10, seed: 4, augment: { padding: 2, flip: true } })];
    const b = [...batches(ds, { batchSize: 10, seed: 4, augment: { padding: 2, flip: true } })];
    expect(a[1]!.images).toEqual(b[1]!.images);
    expect(a[1]!.images).not.toEqual([...batches(ds, { batchSize: 10, seed: 4 })][1]!.images);
  });

  it('rejects a bad batch size', () => {
    expect(() => batchCount(ds, { batchSize: 0 })).toThrow(DatasetError);
  });
});

describe('limitDataset', () => {
  it('keeps classes balanced and is seeded', () => {
    const small = limitDataset(ds, 10, 1);
    expect(small.count).toBe(10);
    const perClass = new Array(5).fill(0);
    for (const l of small.labels) perClass[l]++;
    expect(perClass).toEqual([2, 2, 2, 2, 2]);
    expect(limitDataset(ds, 10, 1).images).toEqual(small.images);
  });
});

describe('makeSyntheticDataset', () => {
  it('separates classes: a sample is nearer its own class mean than any other', () => {
    const data = makeSyntheticDataset({ count: 200, shape: [4, 4, 1], numClasses: 4, seed: 2 });
    const means = Array.from({ length: 4 }, () => new Float64Array(16));
    for (let i = 0; i < data.count; i++)
      for (let p = 0; p < 16; p++) means[data.labels[i]!]![p]! += data.images[i * 16 + p]! / 50;
    let correct = 0;
    for (let i = 0; i < data.count; i++) {
      const d = means.map((m) => m.reduce((s, v, p) => s + (v - data.images[i * 16 + p]!) ** 2, 0));
      if (d.indexOf(Math.min(...d)) === data.labels[i]) correct++;
    }
    expect(correct / data.count).toBeGreaterThan(0.9);
  });
});
