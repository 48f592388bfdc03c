import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CIFAR10_RECORD, DatasetError, parseCifar10Batch } from './index.js';

function record(label: number, r: number, g: number, b: number): Uint8Array {
  const bytes = new Uint8Array(CIFAR10_RECORD);
  bytes[0] = label;
  bytes.fill(r, 1, 1025);
  bytes.fill(g, 1025, 2049);
  bytes.fill(b, 2049, 3073);
  return bytes;
}

const parseError = (bytes: Uint8Array): DatasetError => {
  try {
    parseCifar10Batch(bytes, 'b.bin');
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error('expected a DatasetError');
};

describe('parseCifar10Batch', () => {
  it('turns planar records into NHWC images and labels', () => {
    const bytes = new Uint8Array([...record(3, 1, 2, 3), ...record(9, 4, 5, 6)]);
    const { images, labels, count } = parseCifar10Batch(bytes, 'b.bin');
    expect(count).toBe(2);
    expect([...labels]).toEqual([3, 9]);
    expect([...images.subarray(3072, 3078)]).toEqual([4, 5, 6, 4, 5, 6]);
  });

  it('names a label out of range and the sample', () => {
    const bytes = new Uint8Array([...record(3, 0, 0, 0), ...record(10, 0, 0, 0)]);
    const e = parseError(bytes);
    expect(e.code).toBe('label-range');
    expect(e.message).toBe('b.bin: label 10 at sample 1 is out of range; expected 0–9');
  });

  it('fuzz: random bytes, truncations and mutations give DatasetError or a valid batch, quickly', () => {
    const valid = new Uint8Array([...record(1, 10, 20, 30), ...record(2, 40, 50, 60)]);
    const check = (bytes: Uint8Array) => {
      const t0 = performance.now();
      try {
        const { images, labels, count } = parseCifar10Batch(bytes, 'fuzz.bin');
        expect(images.length).toBe(count * 3072);
        expect(labels.every((l) => l < 10)).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
      }
      expect(performance.now() - t0).toBeLessThan(100);
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 7000 }), check), { seed: 11, numRuns: 200 });
    fc.assert(
      fc.property(fc.nat(valid.length), (n) => check(valid.subarray(0, n))),
      { seed: 12, numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.nat(255), (at, value) => {
        const copy = valid.slice();
        copy[at] = value;
        check(copy);
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
