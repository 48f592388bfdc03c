import type { JsonObject, ScoringBatch, SignificanceScorer } from '@sundew/types';
import { fromBase64, toBase64 } from './base64.js';

/** Options of the stale-loss scorer. */
export interface StaleLossOptions {
  /** Dataset size, to allocate the cache once (it grows when an index passes it). */
  datasetSize?: number;
  /** Score of a sample never trained on. Default: +Infinity, above every cached loss. */
  unseenScore?: number;
}

/** The loss cache, compact: base64 of the Float32Array (NaN marks unseen). */
export interface StaleLossState extends JsonObject {
  losses: string;
}

/**
 * Scores a sample by the loss it had the last time it was trained on
 * (`observe` after each step stores them), so no scoring forward pass is needed
 * (SPEC "Significance scorers", stale-loss). Samples never seen score highest.
 * A non-finite observed loss is stored as unseen, so it is retried.
 */
export class StaleLossScorer implements SignificanceScorer<StaleLossState> {
  readonly name = 'stale-loss';
  readonly needs = { forward: false } as const;
  private cache: Float32Array;
  private readonly unseen: number;

  constructor(options: StaleLossOptions = {}) {
    this.cache = new Float32Array(options.datasetSize ?? 1024).fill(Number.NaN);
    this.unseen = options.unseenScore ?? Number.POSITIVE_INFINITY;
  }

  score(batch: ScoringBatch): Float32Array {
    return Float32Array.from(batch.indices, (index) => {
      const loss = index < this.cache.length ? this.cache[index]! : Number.NaN;
      return Number.isNaN(loss) ? this.unseen : loss;
    });
  }

  observe(indices: Int32Array, losses: Float32Array): void {
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (index >= this.cache.length) this.grow(index + 1);
      const loss = losses[i]!;
      this.cache[index] = Number.isFinite(loss) ? loss : Number.NaN;
    }
  }

  /** The whole cache: one loss per dataset index, NaN where never seen (a view: do not modify). */
  cachedLosses(): Float32Array {
    return this.cache;
  }

  /** The cached loss of a dataset index (NaN if never seen). */
  cachedLoss(index: number): number {
    return index < this.cache.length ? this.cache[index]! : Number.NaN;
  }

  state(): StaleLossState {
    return { losses: toBase64(this.cache) };
  }

  restore(state: StaleLossState): void {
    this.cache = new Float32Array(fromBase64(state.losses).buffer);
  }

  private grow(size: number): void {
    const next = new Float32Array(Math.max(size, this.cache.length * 2)).fill(Number.NaN);
    next.set(this.cache);
    this.cache = next;
  }
}
