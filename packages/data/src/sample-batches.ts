import type { SampleBatch, SampleDataset } from '@sundew/types';
import { DatasetError } from './errors.js';
import { permutation, streamRandom } from './rng.js';

/** Options of `sampleBatches`. */
export interface SampleBatchOptions {
  batchSize: number;
  /** Shuffle with a permutation that depends on (seed, epoch) only. Default true. */
  shuffle?: boolean;
  seed?: number;
  epoch?: number;
  /** Start at this batch of the epoch (resume without replaying earlier batches). */
  startBatch?: number;
  /** Hand the dataset a seeded stream per batch for augmentation. Default true. */
  augment?: boolean;
}

/** Batches one epoch of `count` samples has (the last one may be smaller). */
export function sampleBatchCount(count: number, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new DatasetError('bad-option', `batchSize must be a positive integer; received ${batchSize}`);
  }
  return Math.ceil(count / batchSize);
}

/**
 * One epoch of batches of any `SampleDataset`. Batch k of epoch e is the same
 * whatever was drawn before it; order and augmentation streams are those of
 * `batches` (images), so both give the same batches for the same seed.
 */
export function* sampleBatches(dataset: SampleDataset, options: SampleBatchOptions): Generator<SampleBatch> {
  const { batchSize, shuffle = true, seed = 0, epoch = 0, startBatch = 0, augment = true } = options;
  const total = sampleBatchCount(dataset.count, batchSize);
  const order = shuffle ? permutation(dataset.count, streamRandom(seed, epoch, 1)) : null;
  for (let b = startBatch; b < total; b++) {
    const start = b * batchSize;
    const size = Math.min(batchSize, dataset.count - start);
    const indices = Int32Array.from({ length: size }, (_, i) => (order ? order[start + i]! : start + i));
    yield augment ? dataset.gather(indices, streamRandom(seed, epoch, 2, b)) : dataset.gather(indices);
  }
}

/** Every sample of a dataset as one batch, in dataset order (validation). */
export function allSamples(dataset: SampleDataset): SampleBatch {
  return dataset.gather(Int32Array.from({ length: dataset.count }, (_, i) => i));
}
