import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BatchRelativeScorer,
  createScorer,
  GradientNormScorer,
  LossEntropyScorer,
  LossPercentileScorer,
  RandomScorer,
  ScorerConfigError,
  ScoringInputError,
  StaleLossScorer,
  scorerNames,
} from './index.js';
import { describeScorer, makeScoringBatch } from './testing/describe-scorer.js';

for (const name of scorerNames)
  describeScorer(name, () => createScorer(name, { seed: 3, datasetSize: 64 }), { describe, it });

const base = { indices: Int32Array.of(0, 1, 2, 3), labels: Int32Array.of(0, 1, 0, 1), numClasses: 2 };

describe('batch-relative (the original script)', () => {
  it('matches a hand computation', () => {
    // losses 1, 2, 3, 6 → mean 3; ratios 1/3, 2/3, 1, 2 → clip/2: 1/6, 1/3, 1/2, 1
    // std 0.1, 0.1, 0.1, 0.5 → mean 0.2; ratios 0.5, 0.5, 0.5, 2.5 → clip/2: 0.25, 0.25, 0.25, 1
    const s = new BatchRelativeScorer().score({
      ...base,
      losses: Float32Array.of(1, 2, 3, 6),
      inputStd: Float32Array.of(0.1, 0.1, 0.1, 0.5),
    });
    const expected = [0.7 / 6 + 0.3 * 0.25, 0.7 / 3 + 0.3 * 0.25, 0.7 / 2 + 0.3 * 0.25, 0.7 + 0.3];
    for (const [i, e] of expected.entries()) expect(s[i]).toBeCloseTo(e, 5);
  });

  it('stays in [0, 1] and ignores a common scale of the losses', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.float({ min: Math.fround(0.01), max: 100, noNaN: true }),
        (losses, scale) => {
          const n = losses.length;
          const batch = {
            indices: Int32Array.from({ length: n }, (_, i) => i),
            labels: new Int32Array(n),
            numClasses: 2,
            inputStd: new Float32Array(n).fill(0.2),
          };
          const a = new BatchRelativeScorer().score({ ...batch, losses: Float32Array.from(losses) });
          const b = new BatchRelativeScorer().score({
            ...batch,
            losses: Float32Array.from(losses, (l) => l * scale),
          });
          for (let i = 0; i < n; i++) {
            expect(a[i]).toBeGreaterThanOrEqual(0);
            expect(a[i]).toBeLessThanOrEqual(1);
            // The 1e-6 guard of the formula only matters when the mean loss is tiny.
            const mean = losses.reduce((x, y) => x + y, 0) / n;
            if (mean * Math.min(1, scale) > 1e-2) expect(b[i]).toBeCloseTo(a[i]!, 3);
          }
        },
      ),
      { seed: 1, numRuns: 200 },
    );
  });

  it('gives a NaN loss a zero loss term instead of a NaN score', () => {
    const s = new BatchRelativeScorer().score({
      ...base,
      losses: Float32Array.of(1, Number.NaN, 1, 1),
      inputStd: Float32Array.of(0.1, 0.1, 0.1, 0.1),
    });
    expect(s[1]).toBeCloseTo(0.3 * 0.5, 5);
  });
});

describe('loss-entropy (the original library)', () => {
  it('matches a hand computation', () => {
    // logits [0, 0] → H = ln 2; logits [ln 3, 0] → p = (3/4, 1/4), H = −(3/4 ln 3/4 + 1/4 ln 1/4)
    const s = new LossEntropyScorer().score({
      ...base,
      indices: Int32Array.of(0, 1),
      labels: Int32Array.of(0, 0),
      losses: Float32Array.of(1, 2),
      logits: Float32Array.of(0, 0, Math.log(3), 0),
    });
    const h2 = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(s[0]).toBeCloseTo(0.7 + 0.3 * Math.LN2, 5);
    expect(s[1]).toBeCloseTo(1.4 + 0.3 * h2, 5);
  });

  it('is stable for huge logits', () => {
    const s = new LossEntropyScorer().score({
      ...base,
      indices: Int32Array.of(0),
      labels: Int32Array.of(0),
      losses: Float32Array.of(0),
      logits: Float32Array.of(1e30, -1e30),
    });
    expect(s[0]).toBeCloseTo(0, 5);
  });
});

describe('gradient-norm', () => {
  it('is ‖softmax − onehot‖', () => {
    // logits [0, 0], label 0 → p = (½, ½) → ‖(−½, ½)‖ = √½
    const s = new GradientNormScorer().score({
      ...base,
      indices: Int32Array.of(0),
      labels: Int32Array.of(0),
      logits: Float32Array.of(0, 0),
    });
    expect(s[0]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});

describe('stale-loss', () => {
  it('scores unseen samples highest and seen ones by their last loss', () => {
    const scorer = new StaleLossScorer({ datasetSize: 4 });
    scorer.observe(Int32Array.of(1, 2), Float32Array.of(0.5, 2.5));
    scorer.observe(Int32Array.of(2, 10), Float32Array.of(1.5, 0.25));
    const s = scorer.score({ ...base, indices: Int32Array.of(0, 1, 2, 10) });
    expect([...s]).toEqual([Number.POSITIVE_INFINITY, 0.5, 1.5, 0.25]);
    expect(scorer.needs.forward).toBe(false);
  });

  it('forgets a NaN loss so the sample is retried', () => {
    const scorer = new StaleLossScorer();
    scorer.observe(Int32Array.of(0), Float32Array.of(Number.NaN));
    expect(scorer.score({ ...base, indices: Int32Array.of(0) })[0]).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('loss-percentile', () => {
  it('ranks losses against the history, ties counted half', () => {
    const scorer = new LossPercentileScorer({ historySize: 8 });
    const s = scorer.score({ ...base, losses: Float32Array.of(1, 2, 3, 4) });
    expect([...s]).toEqual([0.125, 0.375, 0.625, 0.875]);
  });

  it('stale source needs no forward and scores unseen samples 1', () => {
    const scorer = new LossPercentileScorer({ source: 'stale' });
    expect(scorer.needs.forward).toBe(false);
    scorer.observe(Int32Array.of(0, 1), Float32Array.of(1, 3));
    expect([...scorer.score({ ...base, indices: Int32Array.of(0, 1, 2) })]).toEqual([0.25, 0.75, 1]);
  });
});

describe('random', () => {
  it('is uniform in [0, 1) and seeded', () => {
    const s = new RandomScorer({ seed: 5 }).score(makeScoringBatch(10_000));
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(s.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new RandomScorer({ seed: 6 }).score(makeScoringBatch(4))).not.toEqual(
      new RandomScorer({ seed: 5 }).score(makeScoringBatch(4)),
    );
  });
});

describe('errors', () => {
  it('names the missing field and the length mismatch', () => {
    expect(() => new LossEntropyScorer().score({ ...base })).toThrow(ScoringInputError);
    expect(() => new LossEntropyScorer().score({ ...base })).toThrow(/ScoringBatch\.losses is missing/);
    expect(() =>
      new BatchRelativeScorer().score({
        ...base,
        losses: Float32Array.of(1, 2),
        inputStd: new Float32Array(4),
      }),
    ).toThrow(/losses has length 2; expected 4/);
  });

  it('rejects unknown names and bad options', () => {
    expect(() => createScorer('loss')).toThrow(/known scorers: batch-relative/);
    expect(() => new BatchRelativeScorer({ lossWeight: 2 })).toThrow(ScorerConfigError);
    expect(() => new LossPercentileScorer({ power: 0 })).toThrow(/power must be/);
  });
});
