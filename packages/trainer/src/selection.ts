import { finiteMean } from '@sundew/gate';
import type { SampleBatch, SampleValues } from '@sundew/types';
import type { StepSamples } from './train-step.js';

/**
 * How selected samples become optimizer steps.
 * - `per-batch`: one step per incoming batch on its active samples (the original).
 * - `buffered`: selected samples wait in a buffer until a full training batch
 *   is ready (Selective-Backprop), so every step has the full batch size.
 */
export type SelectionMode = 'per-batch' | 'buffered';

const rowSize = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Selected samples held on the CPU until they are stepped on. */
export class SelectionBuffer {
  private x: SampleValues;
  private y: SampleValues;
  private indices: Int32Array;
  private weights: Float32Array;
  private readonly xSize: number;
  private readonly ySize: number;
  size = 0;

  /** Samples of one input shape and one target shape; int32 or float32 as the batches carry. */
  constructor(
    private readonly shapes: {
      xShape: readonly number[];
      yShape: readonly number[];
      xDtype: 'float32' | 'int32';
      yDtype: 'float32' | 'int32';
    },
    capacity: number,
  ) {
    this.xSize = rowSize(shapes.xShape);
    this.ySize = rowSize(shapes.yShape);
    this.x = this.make(shapes.xDtype, this.xSize * capacity);
    this.y = this.make(shapes.yDtype, this.ySize * capacity);
    this.indices = new Int32Array(capacity);
    this.weights = new Float32Array(capacity);
  }

  private make(dtype: 'float32' | 'int32', n: number): SampleValues {
    return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  }

  /** Append the masked samples of a batch. */
  push(batch: SampleBatch, active: readonly number[], weights: Float32Array | null): void {
    this.reserve(this.size + active.length);
    const { xSize, ySize } = this;
    for (const [k, i] of active.entries()) {
      this.x.set(batch.x.subarray(i * xSize, (i + 1) * xSize), this.size * xSize);
      this.y.set(batch.y.subarray(i * ySize, (i + 1) * ySize), this.size * ySize);
      this.indices[this.size] = batch.indices[i]!;
      this.weights[this.size] = weights ? weights[k]! : 1;
      this.size++;
    }
  }

  /** Remove and return the first `n` samples (copies). */
  take(n: number): StepSamples & { indices: Int32Array } {
    const k = Math.min(n, this.size);
    const { xSize, ySize } = this;
    const out = {
      x: this.x.slice(0, k * xSize),
      xShape: this.shapes.xShape,
      y: this.y.slice(0, k * ySize),
      yShape: this.shapes.yShape,
      indices: this.indices.slice(0, k),
      weights: this.weights.slice(0, k),
      n: k,
    };
    this.x.copyWithin(0, k * xSize, this.size * xSize);
    this.y.copyWithin(0, k * ySize, this.size * ySize);
    this.indices.copyWithin(0, k, this.size);
    this.weights.copyWithin(0, k, this.size);
    this.size -= k;
    return out;
  }

  /** Buffer content for a checkpoint (`images`: the inputs, as floats; `labels`: the targets). */
  snapshot(): { images: Float32Array; labels: number[]; indices: number[]; weights: number[] } {
    return {
      images: Float32Array.from(this.x.subarray(0, this.size * this.xSize)),
      labels: [...this.y.subarray(0, this.size * this.ySize)],
      indices: [...this.indices.subarray(0, this.size)],
      weights: [...this.weights.subarray(0, this.size)],
    };
  }

  /** Refill from a snapshot. */
  restore(s: { images: Float32Array; labels: number[]; indices: number[]; weights: number[] }): void {
    this.size = 0;
    this.reserve(s.indices.length);
    this.x.set(s.images);
    this.y.set(s.labels);
    this.indices.set(s.indices);
    this.weights.set(s.weights);
    this.size = s.indices.length;
  }

  private reserve(capacity: number): void {
    if (capacity <= this.indices.length) return;
    const grow = Math.max(capacity, 2 * this.indices.length);
    const x = this.make(this.shapes.xDtype, grow * this.xSize);
    x.set(this.x);
    this.x = x;
    const y = this.make(this.shapes.yDtype, grow * this.ySize);
    y.set(this.y);
    this.y = y;
    const indices = new Int32Array(grow);
    indices.set(this.indices);
    this.indices = indices;
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
  const mean = finiteMean(scores);
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
