import type { DataBatch } from '@sundew/types';
import type { StepSamples } from './train-step.js';

/**
 * How selected samples become optimizer steps.
 * - `per-batch`: one step per incoming batch on its active samples (the original).
 * - `buffered`: selected samples wait in a buffer until a full training batch
 *   is ready (Selective-Backprop), so every step has the full batch size.
 */
export type SelectionMode = 'per-batch' | 'buffered';

/** Selected samples held on the CPU until they are stepped on. */
export class SelectionBuffer {
  private images: Float32Array;
  private labels: Int32Array;
  private indices: Int32Array;
  private weights: Float32Array;
  size = 0;

  constructor(
    private readonly pixels: number,
    capacity: number,
  ) {
    this.images = new Float32Array(pixels * capacity);
    this.labels = new Int32Array(capacity);
    this.indices = new Int32Array(capacity);
    this.weights = new Float32Array(capacity);
  }

  /** Append the masked samples of a batch. */
  push(batch: DataBatch, active: readonly number[], weights: Float32Array | null): void {
    this.reserve(this.size + active.length);
    for (const [k, i] of active.entries()) {
      this.images.set(batch.images.subarray(i * this.pixels, (i + 1) * this.pixels), this.size * this.pixels);
      this.labels[this.size] = batch.labels[i]!;
      this.indices[this.size] = batch.indices[i]!;
      this.weights[this.size] = weights ? weights[k]! : 1;
      this.size++;
    }
  }

  /** Remove and return the first `n` samples (copies). */
  take(n: number): StepSamples & { indices: Int32Array } {
    const k = Math.min(n, this.size);
    const out = {
      images: this.images.slice(0, k * this.pixels),
      labels: this.labels.slice(0, k),
      indices: this.indices.slice(0, k),
      weights: this.weights.slice(0, k),
      n: k,
    };
    this.images.copyWithin(0, k * this.pixels, this.size * this.pixels);
    this.labels.copyWithin(0, k, this.size);
    this.indices.copyWithin(0, k, this.size);
    this.weights.copyWithin(0, k, this.size);
    this.size -= k;
    return out;
  }

  /** Buffer content for a checkpoint. */
  snapshot(): { images: Float32Array; labels: number[]; indices: number[]; weights: number[] } {
    return {
      images: this.images.slice(0, this.size * this.pixels),
      labels: [...this.labels.subarray(0, this.size)],
      indices: [...this.indices.subarray(0, this.size)],
      weights: [...this.weights.subarray(0, this.size)],
    };
  }

  /** Refill from a snapshot. */
  restore(s: { images: Float32Array; labels: number[]; indices: number[]; weights: number[] }): void {
    this.size = 0;
    this.reserve(s.labels.length);
    this.images.set(s.images);
    this.labels.set(s.labels);
    this.indices.set(s.indices);
    this.weights.set(s.weights);
    this.size = s.labels.length;
  }

  private reserve(capacity: number): void {
    if (capacity <= this.labels.length) return;
    const grow = Math.max(capacity, 2 * this.labels.length);
    const images = new Float32Array(grow * this.pixels);
    images.set(this.images);
    this.images = images;
    for (const key of ['labels', 'indices'] as const) {
      const next = new Int32Array(grow);
      next.set(this[key]);
      this[key] = next;
    }
    const weights = new Float32Array(grow);
    weights.set(this.weights);
    this.weights = weights;
  }
}

/**
 * InfoBatch-style unbiased weights for the kept samples of a batch: samples
 * scoring below the batch's mean score were thinned to a share q of them, so
 * each kept one stands for 1/q; samples at or above the mean weigh 1.
 */
export function infoBatchWeights(
  scores: Float32Array,
  mask: Uint8Array,
  active: readonly number[],
): Float32Array {
  let sum = 0;
  let n = 0;
  for (const s of scores) {
    if (Number.isFinite(s)) {
      sum += s;
      n++;
    }
  }
  const mean = n > 0 ? sum / n : 0;
  let low = 0;
  let lowKept = 0;
  scores.forEach((s, i) => {
    if (s < mean) {
      low++;
      lowKept += mask[i]!;
    }
  });
  const q = low > 0 && lowKept > 0 ? lowKept / low : 1;
  return Float32Array.from(active, (i) => (scores[i]! < mean ? 1 / q : 1));
}
