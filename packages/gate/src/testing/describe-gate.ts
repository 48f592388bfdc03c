import assert from 'node:assert/strict';
import { type Gate, type TestFramework, testFrameworkOf } from '@sundew/types';

/** A small deterministic stream of score batches (LCG), in [0, 1). */
function scoreBatches(count: number, size: number, seed = 7): Float32Array[] {
  let x = seed >>> 0;
  const next = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: size }, next));
}

const closeTo = (actual: number, expected: number, digits: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 10 ** -digits / 2, `${what}: ${actual}, expected ${expected}`);

/**
 * The conformance suite every `Gate` runs, ours and users' alike:
 * `describeGate('my gate', () => new MyGate(), { describe, it })` with the
 * `describe` and `it` of your test framework (default: its globals). `make`
 * must return a fresh gate with the same configuration every call.
 */
export function describeGate(name: string, make: () => Gate, tests?: TestFramework): void {
  const { describe, it } = testFrameworkOf('describeGate', tests);
  describe(`Gate conformance: ${name}`, () => {
    it('returns a 0/1 mask of the batch length, without touching the scores', () => {
      const gate = make();
      for (const scores of scoreBatches(20, 64)) {
        const before = scores.slice();
        const mask = gate.decide(scores);
        assert.ok(mask instanceof Uint8Array, 'decide() returns a Uint8Array');
        assert.equal(mask.length, scores.length);
        assert.ok(
          mask.every((m) => m === 0 || m === 1),
          'mask values are 0 or 1',
        );
        assert.deepEqual(scores, before, 'decide() left the scores as they were');
      }
    });

    it('accepts an empty batch and a batch of one', () => {
      const gate = make();
      assert.equal(gate.decide(new Float32Array(0)).length, 0);
      assert.equal(gate.decide(Float32Array.of(0.5)).length, 1);
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
      assert.equal(s.processed, seen);
      assert.equal(s.activated, active);
      closeTo(s.cumulativeActivationRate, active / seen, 12, 'cumulativeActivationRate');
      assert.ok(s.energyBaseline > 0, `energyBaseline ${s.energyBaseline} > 0`);
      assert.ok(s.energyConsumed <= s.energyBaseline + 1e-9, 'energyConsumed ≤ energyBaseline');
      closeTo(
        s.energySavedPercent,
        (100 * (s.energyBaseline - s.energyConsumed)) / s.energyBaseline,
        9,
        'energySavedPercent',
      );
    });

    it('is reproducible: two gates made alike decide alike', () => {
      const a = make();
      const b = make();
      for (const scores of scoreBatches(20, 40)) assert.deepEqual(b.decide(scores), a.decide(scores));
    });

    it('continues exactly after state() → JSON → restore()', () => {
      const batches = scoreBatches(40, 48);
      const original = make();
      for (const scores of batches.slice(0, 20)) original.decide(scores);
      const saved = JSON.parse(JSON.stringify(original.state()));
      const restored = make();
      restored.restore(saved);
      for (const scores of batches.slice(20))
        assert.deepEqual(restored.decide(scores), original.decide(scores));
      assert.deepEqual(restored.stats(), original.stats());
    });

    it('survives NaN and infinite scores with finite counters', () => {
      const gate = make();
      const scores = Float32Array.from({ length: 32 }, (_, i) =>
        i % 3 === 0 ? Number.NaN : i % 3 === 1 ? Number.POSITIVE_INFINITY : 0.5,
      );
      for (let k = 0; k < 10; k++) gate.decide(scores);
      const { threshold, ...rest } = gate.stats();
      for (const [key, value] of Object.entries(rest)) assert.ok(Number.isFinite(value), `${key}: ${value}`);
      assert.ok(Number.isNaN(threshold) || Number.isFinite(threshold), `threshold: ${threshold}`);
    });
  });
}
