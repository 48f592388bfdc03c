import type { ScoringBatch, SignificanceScorer } from '@sundew/types';
import { describe, expect, it } from 'vitest';

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
 * `describeScorer('mine', () => new MyScorer())`; `make` returns a fresh scorer
 * with the same configuration every call.
 */
export function describeScorer(name: string, make: () => SignificanceScorer): void {
  describe(`SignificanceScorer conformance: ${name}`, () => {
    it('returns one finite score per sample, without touching the batch', () => {
      const scorer = make();
      const batch = makeScoringBatch(32);
      const copy = structuredClone(batch);
      const scores = scorer.score(batch);
      expect(scores).toBeInstanceOf(Float32Array);
      expect(scores.length).toBe(32);
      // Unseen samples of a stale scorer may score +Infinity by design; never NaN.
      expect(scores.every((s) => !Number.isNaN(s))).toBe(true);
      expect(batch).toEqual(copy);
    });

    it('declares its needs', () => {
      const needs = make().needs;
      expect(typeof needs.forward).toBe('boolean');
    });

    it('is reproducible and continues exactly after state() → JSON → restore()', () => {
      const a = make();
      const b = make();
      for (let k = 0; k < 3; k++) {
        const batch = makeScoringBatch(16, 10, 16 * k);
        expect(b.score(batch)).toEqual(a.score(batch));
        a.observe?.(batch.indices, batch.losses!);
        b.observe?.(batch.indices, batch.losses!);
      }
      const restored = make();
      restored.restore(JSON.parse(JSON.stringify(a.state())));
      for (let k = 0; k < 3; k++) {
        const batch = makeScoringBatch(16, 10, 8 * k);
        expect(restored.score(batch)).toEqual(a.score(batch));
      }
    });

    it('handles an empty batch', () => {
      expect(make().score(makeScoringBatch(0)).length).toBe(0);
    });
  });
}
