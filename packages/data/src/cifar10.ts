import { join } from 'node:path';
import type { ImageDataset } from '@sundew/types';
import { parseCifar10Batch } from './cifar10-batch.js';
import { datasetFormatOf, describeFormat } from './dataset-folder.js';
import { DatasetError } from './errors.js';
import type { Split } from './idx-dataset.js';
import { readDatasetFile } from './read-file.js';

/** CIFAR-10's ten classes. */
export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/**
 * Load CIFAR-10 from its binary version (`data_batch_1..5.bin`, `test_batch.bin`:
 * per record a label byte then 1024 R, 1024 G, 1024 B bytes), as NHWC uint8.
 */
export async function loadCifar10(options: { dir: string; split: Split }): Promise<ImageDataset> {
  const { dir, split } = options;
  if (split !== 'train' && split !== 'test') {
    throw new DatasetError(
      'bad-option',
      `cifar10: split must be "train" or "test"; received ${JSON.stringify(split)}`,
    );
  }
  const names = split === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
  const format = await datasetFormatOf(dir);
  if (format !== null && format !== 'cifar10-binary') {
    throw new DatasetError(
      'wrong-dataset',
      `${dir}: this folder holds ${describeFormat(format)}, not the CIFAR-10 binary version`,
      join(dir, names[0]!),
    );
  }
  const hint =
    'expected the CIFAR-10 binary version (cifar-10-batches-bin: data_batch_1..5.bin, test_batch.bin) in this folder';
  // One file after the other: the first missing one is the one named, always.
  const parts: ReturnType<typeof parseCifar10Batch>[] = [];
  for (const name of names) {
    const file = join(dir, name);
    parts.push(parseCifar10Batch(await readDatasetFile(file, hint), file));
  }
  const count = parts.reduce((n, p) => n + p.count, 0);
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const part of parts) {
    images.set(part.images, n * 3072);
    labels.set(part.labels, n);
    n += part.count;
  }
  return {
    name: `cifar10/${split}`,
    images,
    labels,
    count,
    shape: [32, 32, 3],
    numClasses: 10,
    classNames: CIFAR10_CLASSES,
  };
}
