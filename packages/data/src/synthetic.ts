import type { ImageDataset } from '@sundew/types';
import { DatasetError } from './errors.js';
import { streamRandom } from './rng.js';

/** Options of `makeSyntheticDataset`. */
export interface SyntheticOptions {
  count: number;
  /** [height, width, channels]; default [8, 8, 1]. */
  shape?: readonly [number, number, number];
  numClasses?: number;
  seed?: number;
  /**
   * Seed of the per-sample noise only (default: `seed`): a test split of the
   * same task keeps `seed` (the class patterns) and takes another noise seed.
   */
  noiseSeed?: number;
  /** Standard deviation of the pixel noise, in [0, 1] of the pixel range. Default 0.15. */
  noise?: number;
}

/**
 * A learnable image dataset for tests: each class is a fixed random pattern
 * (one per class, from the seed) plus Gaussian-ish noise per sample.
 */
export function makeSyntheticDataset(options: SyntheticOptions): ImageDataset {
  const { count, shape = [8, 8, 1], numClasses = 4, seed = 0, noise = 0.15 } = options;
  const noiseSeed = options.noiseSeed ?? seed;
  if (!Number.isInteger(count) || count < 1)
    throw new DatasetError('bad-option', `count must be a positive integer; received ${count}`);
  if (!Number.isInteger(numClasses) || numClasses < 2 || numClasses > 256) {
    throw new DatasetError('bad-option', `numClasses must be an integer in [2, 256]; received ${numClasses}`);
  }
  const pixels = shape[0] * shape[1] * shape[2];
  const patternRandom = streamRandom(seed, 11);
  const patterns = Array.from({ length: numClasses }, () =>
    Float32Array.from({ length: pixels }, () => patternRandom()),
  );
  const random = streamRandom(noiseSeed, 12);
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % numClasses;
    labels[i] = label;
    const pattern = patterns[label]!;
    for (let p = 0; p < pixels; p++) {
      const gauss = (random() + random() + random() - 1.5) * 2; // sd ≈ 1
      images[i * pixels + p] = Math.round(255 * Math.min(1, Math.max(0, pattern[p]! + noise * gauss)));
    }
  }
  return {
    name: 'synthetic',
    images,
    labels,
    count,
    shape,
    numClasses,
    classNames: Array.from({ length: numClasses }, (_, c) => `class ${c}`),
  };
}
