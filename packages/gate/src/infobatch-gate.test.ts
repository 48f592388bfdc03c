import type { Gate } from '@sundew/types';
import { describe, expect, it } from 'vitest';
import { GateConfigError, GateStateError, InfoBatchGate } from './index.js';
import { describeGate } from './testing/describe-gate.js';

describeGate('InfoBatchGate (prune 0.5)', () => new InfoBatchGate({ seed: 3 }), { describe, it });
describeGate('InfoBatchGate (prune 0.8)', () => new InfoBatchGate({ prune: 0.8, seed: 4 }), { describe, it });

/** 8,000 scores of 0.1 and 2,000 of 2 (mean 0.48), interleaved. */
const skewed = (): Float32Array => Float32Array.from({ length: 10_000 }, (_, i) => (i % 5 === 4 ? 2 : 0.1));

describe('InfoBatchGate', () => {
  it('keeps every sample at or above the mean and about 1 − prune of those below', () => {
    for (const prune of [0.3, 0.5, 0.8]) {
      const mask = new InfoBatchGate({ prune, seed: 1 }).decide(skewed());
      let high = 0;
      let low = 0;
      mask.forEach((m, i) => {
        if (i % 5 === 4) high += m;
        else low += m;
      });
      expect(high).toBe(2000);
      // Binomial(8000, 1 − prune): within 4 standard deviations.
      const sd = Math.sqrt(8000 * prune * (1 - prune));
      expect(Math.abs(low - 8000 * (1 - prune))).toBeLessThan(4 * sd);
    }
  });

  it('prunes nothing at prune 0, and the rate follows the scores (no target)', () => {
    expect(new InfoBatchGate({ prune: 0 }).decide(skewed()).every((m) => m === 1)).toBe(true);
    const gate = new InfoBatchGate({ seed: 2 });
    gate.decide(skewed());
    expect(gate.stats().activationRate).toBeGreaterThan(0.55);
    expect(gate.stats().activationRate).toBeLessThan(0.65);
    expect((gate as Gate).targetActivationRate).toBeUndefined();
  });

  it('keeps never-seen samples (+∞) without letting them move the mean; skips NaN', () => {
    const scores = Float32Array.of(Number.POSITIVE_INFINITY, 1, 1, 1, Number.NaN, 1);
    // Mean of the finite scores is 1: every finite one is at the mean, so all are kept.
    expect([...new InfoBatchGate({ prune: 0.99, seed: 5 }).decide(scores)]).toEqual([1, 1, 1, 1, 0, 1]);
  });

  it('draws from its seed: the same seed the same masks, another seed others', () => {
    const masks = (seed: number) => [...new InfoBatchGate({ seed }).decide(skewed())];
    expect(masks(7)).toEqual(masks(7));
    expect(masks(7)).not.toEqual(masks(8));
  });

  it('continues draw for draw after state() → JSON → restore()', () => {
    const a = new InfoBatchGate({ seed: 9 });
    a.decide(skewed());
    const b = new InfoBatchGate({ seed: 123 });
    b.restore(JSON.parse(JSON.stringify(a.state())));
    expect([...b.decide(skewed())]).toEqual([...a.decide(skewed())]);
    expect(b.stats()).toEqual(a.stats());
  });

  it('names a bad option and the range it must be in', () => {
    expect(() => new InfoBatchGate({ prune: 1 })).toThrow(GateConfigError);
    expect(() => new InfoBatchGate({ prune: 1 })).toThrow(
      /prune must be a finite number in \[0, 1\); received 1/,
    );
    expect(() => new InfoBatchGate({ prune: Number.NaN })).toThrow(/prune must be a finite number/);
    expect(() => new InfoBatchGate({ rate: 0.3 } as never)).toThrow(
      /unknown option "rate"; known options: prune/,
    );
    expect(() => new InfoBatchGate({ seed: 1.5 })).toThrow(/seed must be an integer/);
  });

  it("refuses another gate's state", () => {
    expect(() => new InfoBatchGate().restore({ kind: 'top-k' } as never)).toThrow(GateStateError);
  });
});
