import type { Gate } from '@sundew/types';
import { describe, expect, it } from 'vitest';

/** A small deterministic stream of score batches (LCG), in [0, 1). */
function scoreBatches(count: number, size: number, seed = 7): Float32Array[] {
  let x = seed >>> 0;
  const next = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: size }, next));
}

/**
 * The conformance suite every `Gate` runs, ours and users' alike:
 * `describeGate('my gate', () => new MyGate())`. `make` must return a fresh gate
 * with the same configuration every call.
 */
export function describeGate(name: string, make: () => Gate): void {
  describe(`Gate conformance: ${name}`, () => {
    it('returns a 0/1 mask of the batch length, without touching the scores', () => {
      const gate = make();
      for (const scores of scoreBatches(20, 64)) {
        const before = scores.slice();
        const mask = gate.decide(scores);
        expect(mask).toBeInstanceOf(Uint8Array);
        expect(mask.length).toBe(scores.length);
        expect(mask.every((m) => m === 0 || m === 1)).toBe(true);
        expect(scores).toEqual(before);
      }
    });

    it('accepts an empty batch and a batch of one', () => {
      const gate = make();
      expect(gate.decide(new Float32Array(0)).length).toBe(0);
      expect(gate.decide(Float32Array.of(0.5)).length).toBe(1);
    });

    it('counts samples and modeled energy consistently', () => {
      const gate = make();
      let seen = 0;
      let active = 0;
      for (const scores of scoreBatches(30, 50)) {
        active += gate.decide(scores).reduce((n, m) => n + m, 0);
        seen += scores.length;
      }
      const s = gate.stats();
      expect(s.processed).toBe(seen);
      expect(s.activated).toBe(active);
      expect(s.cumulativeActivationRate).toBeCloseTo(active / seen, 12);
      expect(s.energyBaseline).toBeGreaterThan(0);
      expect(s.energyConsumed).toBeLessThanOrEqual(s.energyBaseline + 1e-9);
      expect(s.energySavedPercent).toBeCloseTo(
        (100 * (s.energyBaseline - s.energyConsumed)) / s.energyBaseline,
        9,
      );
    });

    it('is reproducible: two gates made alike decide alike', () => {
      const a = make();
      const b = make();
      for (const scores of scoreBatches(20, 40)) expect(b.decide(scores)).toEqual(a.decide(scores));
    });

    it('continues exactly after state() → JSON → restore()', () => {
      const batches = scoreBatches(40, 48);
      const original = make();
      for (const scores of batches.slice(0, 20)) original.decide(scores);
      const saved = JSON.parse(JSON.stringify(original.state()));
      const restored = make();
      restored.restore(saved);
      for (const scores of batches.slice(20))
        expect(restored.decide(scores)).toEqual(original.decide(scores));
      expect(restored.stats()).toEqual(original.stats());
    });

    it('survives NaN and infinite scores with finite counters', () => {
      const gate = make();
      const scores = Float32Array.from({ length: 32 }, (_, i) =>
        i % 3 === 0 ? Number.NaN : i % 3 === 1 ? Number.POSITIVE_INFINITY : 0.5,
      );
      for (let k = 0; k < 10; k++) gate.decide(scores);
      const { threshold, ...rest } = gate.stats();
      for (const [key, value] of Object.entries(rest)) expect(Number.isFinite(value), key).toBe(true);
      expect(Number.isNaN(threshold) || Number.isFinite(threshold)).toBe(true);
    });
  });
}
