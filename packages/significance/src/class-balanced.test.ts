import { describe, expect, it } from 'vitest';
import { ClassBalancedScorer, createScorer, RandomScorer } from './index.js';

/** A long tail: class c has 400 / 2^c samples (400, 200, 100, 50). */
const labelsOf = (sizes: number[]): Int32Array =>
  Int32Array.from(sizes.flatMap((n, c) => new Array(n).fill(c)));

const batches = (labels: Int32Array, size: number) => {
  const out = [];
  for (let start = 0; start < labels.length; start += size) {
    const indices = Int32Array.from({ length: Math.min(size, labels.length - start) }, (_, i) => start + i);
    out.push({ indices, labels: Int32Array.from(indices, (i) => labels[i]!), numClasses: 4 });
  }
  return out;
};

/** Share of each class scoring above the threshold that keeps `rate` of all scores. */
function keptShares(scores: Float32Array, labels: Int32Array, rate: number): number[] {
  const sorted = Float64Array.from(scores).sort();
  const threshold = sorted[Math.floor((1 - rate) * sorted.length)]!;
  const kept = [0, 0, 0, 0];
  const total = [0, 0, 0, 0];
  scores.forEach((s, i) => {
    total[labels[i]!]!++;
    if (s >= threshold) kept[labels[i]!]!++;
  });
  return kept.map((k, c) => k / total[c]!);
}

describe('class-balanced scorer', () => {
  const labels = labelsOf([400, 200, 100, 50]);

  it('passes scores unchanged until every index was seen once, then keeps rare classes at higher rates', () => {
    const s = new ClassBalancedScorer(new RandomScorer({ seed: 3 }), { datasetSize: labels.length });
    const control = new RandomScorer({ seed: 3 });
    const pass = batches(labels, 50);
    // The last batch completes the pass: it is the first one balanced.
    for (const b of pass.slice(0, -1)) expect(s.score(b)).toEqual(control.score(b));
    expect(s.classFactors).toBeNull();
    expect(s.score(pass.at(-1)!)).not.toEqual(control.score(pass.at(-1)!));
    expect(s.classFactors).toEqual([1, 0.5, 0.25, 0.125]);
    const scores = Float32Array.from(pass.flatMap((b) => Array.from(s.score(b))));
    const shares = keptShares(scores, labels, 0.2);
    // 150 kept of 750, as many of each class: 37.5 each (9 % of the head, 75 % of the tail); random would keep 20 % of each.
    expect(shares[3]).toBeGreaterThan(0.6);
    expect(shares[0]).toBeLessThan(0.15);
    for (const [c, share] of shares.entries())
      expect(Math.abs(share * [400, 200, 100, 50][c]! - 37.5)).toBeLessThan(12);
  });

  it('power 0.5 keeps classes at square-root rates; power 0 is off', () => {
    const sqrt = new ClassBalancedScorer(new RandomScorer(), { datasetSize: labels.length, power: 0.5 });
    const off = new ClassBalancedScorer(new RandomScorer(), { datasetSize: labels.length, power: 0 });
    for (const b of batches(labels, 100)) {
      sqrt.score(b);
      off.score(b);
    }
    const factors = sqrt.classFactors!;
    [1, Math.SQRT1_2, 0.5, Math.SQRT1_2 / 2].forEach((f, c) => expect(factors[c]).toBeCloseTo(f, 12));
    expect(off.classFactors).toBeNull();
  });

  it('leaves nearly balanced classes (label noise on a balanced set) exactly as the inner scorer scored them', () => {
    const near = labelsOf([210, 190, 200, 205]); // max/min 1.1 < 1.5
    const s = new ClassBalancedScorer(new RandomScorer({ seed: 1 }), { datasetSize: near.length });
    const control = new RandomScorer({ seed: 1 });
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const b of batches(near, 64)) expect(s.score(b)).toEqual(control.score(b));
    }
    expect(s.classFactors).toBeNull();
  });

  it('leaves a small random subset of a balanced set alone (1.8:1 by chance, χ² finds no imbalance)', () => {
    const sizes = [20, 18, 19, 18, 25, 18, 18, 20, 14, 22]; // the first 192 bundled training images
    const small = Int32Array.from(sizes.flatMap((n, c) => new Array(n).fill(c)));
    const s = new ClassBalancedScorer(new RandomScorer(), { datasetSize: small.length });
    for (const b of batches(small, 64)) s.score({ ...b, numClasses: 10 });
    expect(s.classFactors).toBeNull();
  });

  it('keeps the inner order within a class and leaves scores above 1 on top', () => {
    const inner = {
      name: 'fixed',
      needs: { forward: false },
      score: (b: { indices: Int32Array }) =>
        Float32Array.from(b.indices, (i) => (i === 0 ? 2 : (i % 97) / 97)),
      state: () => ({}),
      restore: () => {},
    };
    const s = new ClassBalancedScorer(inner, { datasetSize: labels.length });
    const all = batches(labels, labels.length)[0]!;
    s.score(all);
    const scores = s.score(all);
    expect(scores[0]).toBe(2);
    const c0 = Array.from(scores.slice(1, 400));
    const raw = Array.from({ length: 399 }, (_, i) => ((i + 1) % 97) / 97);
    const order = (xs: number[]) => xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]! || a - b);
    expect(order(c0)).toEqual(order(raw));
    expect(Math.min(...scores.slice(700))).toBeGreaterThanOrEqual(1 - 0.125);
  });

  it('round-trips its state (labels and the inner scorer) and refuses a state of another size', () => {
    const a = createScorer('stale-loss-guarded-balanced', { seed: 4, datasetSize: labels.length });
    const pass = batches(labels, 50);
    for (const b of pass) {
      a.score(b);
      a.observe?.(
        b.indices,
        Float32Array.from(b.indices, (i) => (i % 13) / 13),
      );
    }
    const b = createScorer('stale-loss-guarded-balanced', { seed: 4, datasetSize: labels.length });
    b.restore(JSON.parse(JSON.stringify(a.state())));
    for (const batch of pass) expect(b.score(batch)).toEqual(a.score(batch));
    const small = new ClassBalancedScorer(new RandomScorer(), { datasetSize: 10 });
    expect(() => small.restore(a.state() as never)).toThrow(
      /labels of 750 samples, this scorer was made for 10/,
    );
  });

  it('names what is wrong in its options', () => {
    expect(() => new ClassBalancedScorer(new RandomScorer(), { datasetSize: 0 })).toThrow(
      /datasetSize must be a positive integer/,
    );
    expect(() => new ClassBalancedScorer(new RandomScorer(), { datasetSize: 10, power: -1 })).toThrow(
      /power must be a finite number in \[0, 4\]/,
    );
    expect(() => createScorer('random-balanced')).toThrow(/needs the training set's size/);
  });
});
