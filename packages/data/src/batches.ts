import type { DataBatch, ImageDataset } from '@sundew/types';
import { DatasetError } from './errors.js';
import { type Normalization, normalizationFor } from './normalization.js';
import { permutation, streamRandom } from './rng.js';

/** Training-time augmentation (SPEC "Data"): random crop after zero padding, random horizontal flip. */
export interface Augmentation {
  /** Pixels of zero padding before the random crop back to the original size (0 = no crop). */
  padding: number;
  /** Flip left–right with probability ½. */
  flip: boolean;
}

/** Options of `batches`. */
export interface BatchOptions {
  batchSize: number;
  /** Shuffle with a permutation that depends on (seed, epoch) only. Default true. */
  shuffle?: boolean;
  seed?: number;
  epoch?: number;
  /** Start at this batch of the epoch (resume without replaying earlier batches). */
  startBatch?: number;
  /** Drop a last incomplete batch. Default false. */
  dropLast?: boolean;
  augment?: Augmentation | false;
  /** Default: the dataset's known constants (`normalizationFor`). */
  normalization?: Normalization;
}

/** Batches one epoch has. */
export function batchCount(
  dataset: ImageDataset,
  options: Pick<BatchOptions, 'batchSize' | 'dropLast'>,
): number {
  checkBatchSize(options.batchSize);
  return options.dropLast
    ? Math.floor(dataset.count / options.batchSize)
    : Math.ceil(dataset.count / options.batchSize);
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new DatasetError('bad-option', `batchSize must be a positive integer; received ${batchSize}`);
  }
}

/**
 * One epoch of batches: normalised float NHWC images, labels and dataset
 * indices. Batch k of epoch e is the same whatever was drawn before it.
 */
export function* batches(dataset: ImageDataset, options: BatchOptions): Generator<DataBatch> {
  const { batchSize, shuffle = true, seed = 0, epoch = 0, startBatch = 0, augment = false } = options;
  const total = batchCount(dataset, options);
  const order = shuffle ? permutation(dataset.count, streamRandom(seed, epoch, 1)) : null;
  const norm = options.normalization ?? normalizationFor(dataset);
  for (let b = startBatch; b < total; b++) {
    const start = b * batchSize;
    const size = Math.min(batchSize, dataset.count - start);
    const indices = Int32Array.from({ length: size }, (_, i) => (order ? order[start + i]! : start + i));
    const random = augment ? streamRandom(seed, epoch, 2, b) : null;
    yield gatherBatch(dataset, indices, norm, augment && random ? { ...augment, random } : null);
  }
}

/**
 * The normalised value of every byte per channel (c · 256 floats, channel-major):
 * `byte · 1/(255·std) − mean/std` rounded to float32 once here, so a gather is a
 * table lookup per pixel with the very values the formula gives.
 */
function normalizedBytes(norm: Normalization, channels: number): Float32Array {
  const table = new Float32Array(channels * 256);
  for (let ch = 0; ch < channels; ch++) {
    const scale = 1 / (255 * norm.std[ch]!);
    const shift = norm.mean[ch]! / norm.std[ch]!;
    for (let v = 0; v < 256; v++) table[ch * 256 + v] = v * scale - shift;
  }
  return table;
}

/** Normalised images and labels of the given dataset indices. */
export function gatherBatch(
  dataset: ImageDataset,
  indices: Int32Array,
  norm: Normalization = normalizationFor(dataset),
  augment: (Augmentation & { random: () => number }) | null = null,
): DataBatch {
  const [h, w, c] = dataset.shape;
  const pixels = h * w * c;
  const images = new Float32Array(indices.length * pixels);
  const labels = new Int32Array(indices.length);
  const source = dataset.images;
  const table = normalizedBytes(norm, c);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    labels[i] = dataset.labels[index]!;
    const src = index * pixels;
    const dst = i * pixels;
    if (!augment) {
      for (let ch = 0; ch < c; ch++) {
        const t = table.subarray(ch * 256, (ch + 1) * 256);
        for (let p = ch; p < pixels; p += c) images[dst + p] = t[source[src + p]!]!;
      }
      continue;
    }
    const pad = augment.padding;
    const dy = pad > 0 ? Math.floor(augment.random() * (2 * pad + 1)) - pad : 0;
    const dx = pad > 0 ? Math.floor(augment.random() * (2 * pad + 1)) - pad : 0;
    const flip = augment.flip && augment.random() < 0.5;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sy = y + dy;
        const sx0 = flip ? w - 1 - x : x;
        const sx = sx0 + dx;
        for (let ch = 0; ch < c; ch++) {
          const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
          // Padding is zero in pixel space, i.e. black, then normalised like every pixel.
          const raw = inside ? source[src + (sy * w + sx) * c + ch]! : 0;
          images[dst + (y * w + x) * c + ch] = table[ch * 256 + raw]!;
        }
      }
    }
  }
  return { images, labels, indices, size: indices.length, shape: dataset.shape };
}

/** A whole split as one batch (validation), in dataset order. */
export function wholeDataset(dataset: ImageDataset, normalization?: Normalization): DataBatch {
  return gatherBatch(
    dataset,
    Int32Array.from({ length: dataset.count }, (_, i) => i),
    normalization ?? normalizationFor(dataset),
  );
}
