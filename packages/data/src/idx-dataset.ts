import { join } from 'node:path';
import type { ImageDataset } from '@sundew/types';
import { datasetFormatOf, describeFormat } from './dataset-folder.js';
import { DatasetError } from './errors.js';
import { maybeGunzip, parseIdx } from './idx.js';
import { firstExisting, readDatasetFile } from './read-file.js';

/** Train or test split. */
export type Split = 'train' | 'test';

const STEMS: Record<Split, [string, string]> = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

/** Read an MNIST-format split (IDX image + label files, gzip or raw) from `dir`. */
export async function loadIdxDataset(options: {
  dir: string;
  split: Split;
  name: string;
  classNames: readonly string[];
  hint: string;
}): Promise<ImageDataset> {
  const { dir, split, name, classNames, hint } = options;
  if (split !== 'train' && split !== 'test') {
    throw new DatasetError(
      'bad-option',
      `${name}: split must be "train" or "test"; received ${JSON.stringify(split)}`,
    );
  }
  const format = await datasetFormatOf(dir);
  if (format !== null && format !== 'idx') {
    throw new DatasetError(
      'wrong-dataset',
      `${dir}: this folder holds ${describeFormat(format)}, not ${name} IDX files`,
      dir,
    );
  }
  const [imageStem, labelStem] = STEMS[split];
  const imageFile = await firstExisting([join(dir, `${imageStem}.gz`), join(dir, imageStem)]);
  const labelFile = await firstExisting([join(dir, `${labelStem}.gz`), join(dir, labelStem)]);
  const images = parseIdx(maybeGunzip(await readDatasetFile(imageFile, hint), imageFile), imageFile, 3);
  const labels = parseIdx(maybeGunzip(await readDatasetFile(labelFile, hint), labelFile), labelFile, 1);
  const [count, height, width] = images.dims as [number, number, number];
  if (count < 1 || height < 1 || width < 1) {
    throw new DatasetError(
      'bad-shape',
      `${imageFile}: header declares ${count} images of ${height}×${width} pixels; expected at least one image of at least 1×1`,
      imageFile,
    );
  }
  if (labels.dims[0] !== count) {
    throw new DatasetError(
      'size-mismatch',
      `${labelFile}: ${labels.dims[0]} labels for ${count} images in ${imageFile}; expected equal counts`,
      labelFile,
    );
  }
  checkLabels(labels.data, classNames.length, labelFile);
  return {
    name: `${name}/${split}`,
    images: images.data,
    labels: labels.data,
    count,
    shape: [height, width, 1],
    numClasses: classNames.length,
    classNames,
  };
}

/** Every label must be a class index. */
export function checkLabels(labels: Uint8Array, numClasses: number, file: string): void {
  const bad = labels.findIndex((l) => l >= numClasses);
  if (bad >= 0) {
    throw new DatasetError(
      'label-range',
      `${file}: label ${labels[bad]} at sample ${bad} is out of range; expected 0–${numClasses - 1}`,
      file,
    );
  }
}
