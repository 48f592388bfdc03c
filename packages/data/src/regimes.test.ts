import { describe, expect, it } from 'vitest';
import { applyRegime } from './regimes.js';
import { makeSyntheticDataset } from './synthetic.js';

const data = makeSyntheticDataset({ count: 1000, shape: [8, 8, 1], numClasses: 10, seed: 5 });
const perClass = (labels: Uint8Array) => {
  const n = new Array<number>(10).fill(0);
  for (const l of labels) n[l]!++;
  return n;
};

describe('applyRegime', () => {
  it('clean returns the set unchanged', () => {
    const r = applyRegime(data, { seed: 1 });
    expect(r.name).toBe('clean');
    expect(r.dataset).toBe(data);
    expect(r.flipped.length).toBe(0);
  });

  it('label noise flips exactly that share, each to another class, seeded', () => {
    const r = applyRegime(data, { labelNoise: 0.2, seed: 1 });
    expect(r.name).toBe('label noise 20 %');
    expect(r.flipped.length).toBe(200);
    let changed = 0;
    for (let i = 0; i < data.count; i++) if (r.dataset.labels[i] !== data.labels[i]) changed++;
    expect(changed).toBe(200);
    for (const i of r.flipped) expect(r.dataset.labels[i]).not.toBe(data.labels[i]);
    // The images and the clean labels are untouched; the same seed gives the same flips, another seed others.
    expect(r.dataset.images).toBe(data.images);
    expect(Array.from(r.cleanLabels)).toEqual(Array.from(data.labels));
    expect(Array.from(applyRegime(data, { labelNoise: 0.2, seed: 1 }).flipped)).toEqual(
      Array.from(r.flipped),
    );
    expect(Array.from(applyRegime(data, { labelNoise: 0.2, seed: 2 }).flipped)).not.toEqual(
      Array.from(r.flipped),
    );
    // Flipped labels spread over the other classes.
    const targets = perClass(Uint8Array.from(r.flipped, (i) => r.dataset.labels[i]!));
    expect(Math.min(...targets)).toBeGreaterThan(5);
  });

  it('imbalance keeps a long tail from all of class 0 down to 1/r of the last class', () => {
    const r = applyRegime(data, { imbalance: 10, seed: 1 });
    const before = perClass(data.labels);
    const after = perClass(r.dataset.labels);
    expect(after[0]).toBe(before[0]);
    expect(after[9]).toBe(Math.floor(before[9]! / 10));
    for (let c = 1; c < 10; c++)
      expect(after[c]! / before[c]!).toBeLessThanOrEqual(after[c - 1]! / before[c - 1]!);
    expect(r.name).toBe('imbalance 10:1');
  });

  it('duplicates: n/k distinct images, each k times, copies within one pixel of the image', () => {
    const r = applyRegime(data, { duplicates: 4, seed: 1 });
    expect(r.dataset.count).toBe(1000);
    const pixels = 64;
    for (let g = 0; g < 250; g++) {
      const labels = r.dataset.labels.subarray(g * 4, g * 4 + 4);
      expect(new Set(labels).size).toBe(1);
    }
    // Copy 0 of each group is one of the original images, exactly.
    const first = r.dataset.images.subarray(0, pixels);
    const found = Array.from({ length: data.count }, (_, i) => i).some((i) =>
      data.images.subarray(i * pixels, (i + 1) * pixels).every((v, p) => v === first[p]),
    );
    expect(found).toBe(true);
  });

  it('combines in order (imbalance, duplicates, noise) and names every part', () => {
    const r = applyRegime(data, { imbalance: 5, duplicates: 2, labelNoise: 0.1, seed: 3 });
    expect(r.name).toBe('imbalance 5:1, duplicates ×2, label noise 10 %');
    expect(r.flipped.length).toBe(Math.round(0.1 * r.dataset.count));
  });

  it('names the option and the range on bad values', () => {
    expect(() => applyRegime(data, { labelNoise: 1.2, seed: 1 })).toThrow(
      'regime: labelNoise must be a number in [0, 0.9]; received 1.2',
    );
    expect(() => applyRegime(data, { duplicates: 2.5, seed: 1 })).toThrow(
      'regime: duplicates must be an integer in [1, 100]; received 2.5',
    );
    expect(() => applyRegime(data, { imbalance: 0.5, seed: 1 })).toThrow(
      'imbalance must be a number in [1, 1000]',
    );
  });
});
