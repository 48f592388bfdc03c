import { describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from './synthetic.js';

describe('makeSyntheticDataset', () => {
  it('a split with another noise seed is the same task: same class patterns, other samples', () => {
    const train = makeSyntheticDataset({ count: 40, seed: 3, noise: 0.1 });
    const test = makeSyntheticDataset({ count: 40, seed: 3, noiseSeed: 4, noise: 0.1 });
    const other = makeSyntheticDataset({ count: 40, seed: 4, noise: 0.1 });
    const pixels = 64;
    const distance = (a: Uint8Array, b: Uint8Array, i: number) => {
      let d = 0;
      for (let p = 0; p < pixels; p++) d += Math.abs(a[i * pixels + p]! - b[i * pixels + p]!);
      return d / pixels;
    };
    expect(Array.from(test.images)).not.toEqual(Array.from(train.images));
    // Same label, same pattern: samples differ by noise only; another seed is another task.
    expect(distance(train.images, test.images, 5)).toBeLessThan(
      0.5 * distance(train.images, other.images, 5),
    );
  });
});
