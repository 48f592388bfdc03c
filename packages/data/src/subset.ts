import type { ImageDataset } from '@sundew/types';
import { DatasetError } from './errors.js';
import { permutation, streamRandom } from './rng.js';

/** A dataset made of the given sample indices of another, in that order. */
export function selectSamples(
  dataset: ImageDataset,
  indices: ArrayLike<number>,
  name = dataset.name,
): ImageDataset {
  const pixels = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    images.set(dataset.images.subarray(index * pixels, (index + 1) * pixels), i * pixels);
    labels[i] = dataset.labels[index]!;
  }
  return { ...dataset, name, images, labels, count: indices.length };
}

/**
 * The first `limit` samples of a seeded shuffle, balanced over classes
 * (⌈limit / classes⌉ at most of each), so small runs still see every class.
 */
export function limitDataset(dataset: ImageDataset, limit: number, seed = 0): ImageDataset {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new DatasetError('bad-option', `limit must be a positive integer; received ${limit}`);
  }
  if (limit >= dataset.count) return dataset;
  const perClass = Math.ceil(limit / dataset.numClasses);
  const taken = new Array<number>(dataset.numClasses).fill(0);
  const chosen: number[] = [];
  for (const index of permutation(dataset.count, streamRandom(seed, 7))) {
    const label = dataset.labels[index]!;
    if (taken[label]! < perClass) {
      taken[label]!++;
      chosen.push(index);
      if (chosen.length === limit) break;
    }
  }
  chosen.sort((a, b) => a - b);
  return selectSamples(dataset, chosen);
}
