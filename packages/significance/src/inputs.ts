import type { ScoringBatch } from '@sundew/types';
import { ScoringInputError } from './errors.js';

/** The batch's `field`, checked present and of the batch's length (`per` values per sample). */
export function requireField(
  scorer: string,
  batch: ScoringBatch,
  field: 'losses' | 'logits' | 'inputStd',
  per = 1,
): Float32Array {
  const value = batch[field];
  const expected = batch.indices.length * per;
  if (!value) {
    throw new ScoringInputError(
      `${scorer}: ScoringBatch.${field} is missing; this scorer needs it (the trainer computes it when scorer.needs asks)`,
    );
  }
  if (value.length !== expected) {
    throw new ScoringInputError(
      `${scorer}: ScoringBatch.${field} has length ${value.length}; expected ${expected} (batch of ${batch.indices.length}${per > 1 ? ` × ${per}` : ''})`,
    );
  }
  return value;
}

/** Mean of the finite values (0 when none). */
export function finiteMean(values: Float32Array): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

/** Entropy (nats) of softmax(logits[row]) and its probabilities, with a stable log-sum-exp. */
export function softmaxRow(logits: Float32Array, row: number, classes: number, out: Float64Array): number {
  const base = row * classes;
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, logits[base + c]!);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(logits[base + c]! - max);
  const logSum = Math.log(sum) + max;
  let entropy = 0;
  for (let c = 0; c < classes; c++) {
    const logp = logits[base + c]! - logSum;
    out[c] = Math.exp(logp);
    entropy -= out[c]! * logp;
  }
  return entropy;
}
