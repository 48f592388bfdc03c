import assert from 'node:assert/strict';
import {
  type ScoringBatch,
  type SignificanceScorer,
  type TestFramework,
  testFrameworkOf,
} from '@sundew/types';

/** A deterministic batch with every field a scorer may need. */
export function makeScoringBatch(size: number, numClasses = 10, offset = 0): ScoringBatch {
  const wave = (i: number, k: number): number => Math.sin(12.9898 * (i + offset) + 78.233 * k) * 0.5 + 0.5;
  return {
    indices: Int32Array.from({ length: size }, (_, i) => i + offset),
    labels: Int32Array.from({ length: size }, (_, i) => (i + offset) % numClasses),
    numClasses,
    losses: Float32Array.from({ length: size }, (_, i) => 0.1 + 3 * wave(i, 1)),
    logits: Float32Array.from({ length: size * numClasses }, (_, j) => 4 * wave(j, 2) - 2),
    inputStd: Float32Array.from({ length: size }, (_, i) => 0.05 + 0.4 * wave(i, 3)),
  };
}

/**
 * The conformance suite every `SignificanceScorer` runs:
 * `describeScorer('mine', () => new MyScorer(), { describe, it })` with the
 * `describe` and `it` of your test framework (default: its globals); `make`
 * returns a fresh scorer with the same configuration every call.
 */
export function describeScorer(name: string, make: () => SignificanceScorer, tests?: TestFramework): void {
  const { describe, it } = testFrameworkOf('describeScorer', tests);
  describe(`SignificanceScorer conformance: ${name}`, () => {
    it('returns one finite score per sample, without touching the batch', () => {
      const scorer = make();
      const batch = makeScoringBatch(32);
      const copy = structuredClone(batch);
      const scores = scorer.score(batch);
      assert.ok(scores instanceof Float32Array, 'score() returns a Float32Array');
      assert.equal(scores.length, 32);
      // Unseen samples of a stale scorer may score +Infinity by design; never NaN.
      assert.ok(
        scores.every((s) => !Number.isNaN(s)),
        'no NaN score',
      );
      assert.deepEqual(batch, copy, 'score() left the batch as it was');
    });

    it('declares its needs', () => {
      const needs = make().needs;
      assert.equal(typeof needs.forward, 'boolean');
    });

    it('is reproducible and continues exactly after state() → JSON → restore()', () => {
      const a = make();
      const b = make();
      for (let k = 0; k < 3; k++) {
        const batch = makeScoringBatch(16, 10, 16 * k);
        assert.deepEqual(b.score(batch), a.score(batch));
        a.observe?.(batch.indices, batch.losses!);
        b.observe?.(batch.indices, batch.losses!);
      }
      const restored = make();
      restored.restore(JSON.parse(JSON.stringify(a.state())));
      for (let k = 0; k < 3; k++) {
        const batch = makeScoringBatch(16, 10, 8 * k);
        assert.deepEqual(restored.score(batch), a.score(batch));
      }
    });

    it('handles an empty batch', () => {
      assert.equal(make().score(makeScoringBatch(0)).length, 0);
    });
  });
}
