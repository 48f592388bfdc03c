import type { ImageDataset } from '@sundew/types';
import { DatasetError } from './errors.js';
import { permutation, streamRandom } from './rng.js';
import { selectSamples } from './subset.js';

/**
 * Training-data regimes made from a clean training set by seeded, documented
 * transforms (the test set is never touched). Applied in this order:
 * imbalance, then duplicates, then label noise.
 */
export interface RegimeOptions {
  /** Share of training labels replaced by another class, uniformly among the others. 0 (default) to 0.9. */
  labelNoise?: number;
  /** Long tail: class c keeps ⌊n_c · r^(−c/(C−1))⌋ of its n_c samples (class 0 all, the last 1/r). 1 (default): balanced. */
  imbalance?: number;
  /** Redundancy: ⌈n/k⌉ images (a seeded draw), each appearing k times, copies shifted by up to 1 pixel. 1 (default): none. */
  duplicates?: number;
  /** Every draw derives from it. */
  seed: number;
}

/** A regime's training set, what was done to it, and which labels were flipped. */
export interface Regime {
  dataset: ImageDataset;
  /** A short name of the regime: `clean`, `label-noise 20 %`, `imbalance 10:1`, … joined by `, `. */
  name: string;
  /** Indices (in `dataset`) whose label was flipped, ascending; empty without label noise. */
  flipped: Int32Array;
  /** The labels before the flips (equal to `dataset.labels` without label noise). */
  cleanLabels: Uint8Array;
}

function check(name: string, value: number | undefined, min: number, max: number, integer: boolean): number {
  const v = value ?? (name === 'labelNoise' ? 0 : 1);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new DatasetError(
      'bad-option',
      `regime: ${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]; received ${value}`,
    );
  }
  return v;
}

/** Whether options ask for anything but the clean training set. */
export function isCleanRegime(o: Omit<RegimeOptions, 'seed'>): boolean {
  return (o.labelNoise ?? 0) === 0 && (o.imbalance ?? 1) === 1 && (o.duplicates ?? 1) === 1;
}

/** The training set of a regime (see `RegimeOptions`); the clean set is returned unchanged. */
export function applyRegime(train: ImageDataset, options: RegimeOptions): Regime {
  const noise = check('labelNoise', options.labelNoise, 0, 0.9, false);
  const ratio = check('imbalance', options.imbalance, 1, 1000, false);
  const copies = check('duplicates', options.duplicates, 1, 100, true);
  const names: string[] = [];
  let data = train;
  if (ratio > 1) {
    data = longTail(data, ratio, options.seed);
    names.push(`imbalance ${ratio}:1`);
  }
  if (copies > 1) {
    data = duplicated(data, copies, options.seed);
    names.push(`duplicates ×${copies}`);
  }
  const cleanLabels = data.labels;
  let flipped: Int32Array = new Int32Array(0);
  if (noise > 0) {
    ({ dataset: data, flipped } = flipLabels(data, noise, options.seed));
    names.push(`label noise ${Math.round(noise * 1000) / 10} %`);
  }
  return { dataset: data, name: names.length > 0 ? names.join(', ') : 'clean', flipped, cleanLabels };
}

function counts(data: ImageDataset): number[] {
  const n = new Array<number>(data.numClasses).fill(0);
  for (const label of data.labels) n[label]!++;
  return n;
}

/** Class c keeps the first ⌊n_c · r^(−c/(C−1))⌋ (at least 1) of a seeded shuffle of its samples. */
function longTail(data: ImageDataset, ratio: number, seed: number): ImageDataset {
  const n = counts(data);
  const classes = data.numClasses;
  const keep = n.map((count, c) =>
    Math.max(1, Math.floor(count * ratio ** (classes > 1 ? -c / (classes - 1) : 0))),
  );
  const taken = new Array<number>(classes).fill(0);
  const chosen: number[] = [];
  for (const index of permutation(data.count, streamRandom(seed, 71))) {
    const label = data.labels[index]!;
    if (taken[label]! < keep[label]!) {
      taken[label]!++;
      chosen.push(index);
    }
  }
  chosen.sort((a, b) => a - b);
  return selectSamples(data, chosen, data.name);
}

/**
 * ⌈n/k⌉ images (the first of a seeded shuffle), each k times; copy 0
 * is the image, copies 1…k−1 shift it by a seeded offset in {−1, 0, 1}² (edge
 * pixels repeat). The set keeps about its size; it holds k times fewer distinct images.
 */
function duplicated(data: ImageDataset, copies: number, seed: number): ImageDataset {
  const distinct = Math.ceil(data.count / copies);
  const random = streamRandom(seed, 73);
  const order = permutation(data.count, random);
  const chosen = Array.from(order.subarray(0, distinct)).sort((a, b) => a - b);
  const [h, w, c] = data.shape;
  const pixels = h * w * c;
  const count = distinct * copies;
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  let k = 0;
  for (const index of chosen) {
    const source = data.images.subarray(index * pixels, (index + 1) * pixels);
    for (let copy = 0; copy < copies; copy++, k++) {
      labels[k] = data.labels[index]!;
      const dy = copy === 0 ? 0 : Math.floor(random() * 3) - 1;
      const dx = copy === 0 ? 0 : Math.floor(random() * 3) - 1;
      const out = images.subarray(k * pixels, (k + 1) * pixels);
      for (let y = 0; y < h; y++) {
        const sy = Math.min(h - 1, Math.max(0, y + dy));
        for (let x = 0; x < w; x++) {
          const sx = Math.min(w - 1, Math.max(0, x + dx));
          for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = source[(sy * w + sx) * c + ch]!;
        }
      }
    }
  }
  return { ...data, images, labels, count };
}

/** round(p·n) samples of a seeded shuffle get a label drawn uniformly from the other classes. */
function flipLabels(
  data: ImageDataset,
  noise: number,
  seed: number,
): { dataset: ImageDataset; flipped: Int32Array } {
  if (data.numClasses < 2) {
    throw new DatasetError('bad-option', 'regime: labelNoise needs at least 2 classes');
  }
  const random = streamRandom(seed, 79);
  const order = permutation(data.count, random);
  const flipped = Int32Array.from(order.subarray(0, Math.round(noise * data.count))).sort();
  const labels = Uint8Array.from(data.labels);
  for (const index of flipped) {
    const other = Math.floor(random() * (data.numClasses - 1));
    labels[index] = other >= labels[index]! ? other + 1 : other;
  }
  return { dataset: { ...data, labels }, flipped };
}
