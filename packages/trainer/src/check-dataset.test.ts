import '@tensorflow/tfjs-backend-cpu';
import { makeSyntheticDataset } from '@sundew/data';
import type { ImageDataset } from '@sundew/types';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDataset } from './check-dataset.js';
import { TrainerConfigError } from './errors.js';
import { TinyMlp } from './testing/mlp.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const model = new TinyMlp([4, 4, 1], 4);
const good = makeSyntheticDataset({ count: 8, shape: [4, 4, 1], numClasses: 4, seed: 1 });

describe('checkDataset: what the trainer refuses before the first step', () => {
  const floats = Float32Array.from(good.images);
  floats[5] = Number.NaN;
  const labels = good.labels.slice();
  labels[6] = 9;
  const cases: [string, Partial<ImageDataset>, string][] = [
    [
      'images of another shape',
      { shape: [8, 8, 1] },
      'train: the model tiny-mlp takes 4×4×1 images but the train set synthetic has 8×8×1; choose the model preset that matches the dataset',
    ],
    [
      'NaN pixels (a float array where bytes belong)',
      { images: floats as never },
      'train: the train set synthetic: images must be a Uint8Array of count·H·W·C = 128 bytes (0–255); received Float32Array of length 128 with 1 NaN or infinite value(s)',
    ],
    [
      'fewer image bytes than count·H·W·C',
      { images: good.images.subarray(0, 100) },
      'train: the train set synthetic: images must be a Uint8Array of count·H·W·C = 128 bytes (0–255); received Uint8Array of length 100',
    ],
    [
      'a label out of range',
      { labels },
      'train: the train set synthetic: label 9 at sample 6 is out of range; expected 0–3',
    ],
    [
      'labels of another length',
      { labels: good.labels.subarray(0, 7) },
      'train: the train set synthetic: labels must be a Uint8Array of 8 class indices; received Uint8Array of length 7',
    ],
    [
      'more classes than the model predicts',
      { numClasses: 10 },
      'train: the train set synthetic has 10 classes but the model tiny-mlp predicts 4',
    ],
    [
      'no images',
      { count: 0 },
      'train: the train set synthetic must hold at least one image; received count 0',
    ],
  ];
  it.each(cases)('%s', (_what, change, message) => {
    const run = () => checkDataset('train', { ...good, ...change }, model);
    expect(run).toThrow(TrainerConfigError);
    expect(run).toThrow(message);
  });

  it('names the validation set when that is the wrong one', () => {
    expect(() => checkDataset('validation', { ...good, shape: [4, 4, 3] }, model)).toThrow(
      /but the validation set synthetic has 4×4×3/,
    );
  });

  it('accepts a good dataset', () => {
    expect(() => checkDataset('train', good, model)).not.toThrow();
  });
});
