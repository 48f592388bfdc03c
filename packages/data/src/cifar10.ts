import { join } from 'node:path';
import type { ImageDataset } from '@sundew/types';
import { DatasetError } from './errors.js';
import { checkLabels, type Split } from './idx-dataset.js';
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

const RECORD = 1 + 3 * 1024;

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
  const hint =
    'expected the CIFAR-10 binary version (cifar-10-batches-bin: data_batch_1..5.bin, test_batch.bin) in this folder';
  const files = await Promise.all(
    names.map(async (n) => [join(dir, n), await readDatasetFile(join(dir, n), hint)] as const),
  );
  let count = 0;
  for (const [file, bytes] of files) {
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new DatasetError(
        bytes.length < RECORD ? 'truncated' : 'size-mismatch',
        `${file}: ${bytes.length} bytes is not a whole number of ${RECORD}-byte CIFAR-10 records (label + 32×32×3)`,
        file,
      );
    }
    count += bytes.length / RECORD;
  }
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const [file, bytes] of files) {
    const records = bytes.length / RECORD;
    for (let r = 0; r < records; r++, n++) {
      const base = r * RECORD;
      labels[n] = bytes[base]!;
      const out = n * 3072;
      // Planar RGB (CHW) → interleaved (HWC).
      for (let p = 0; p < 1024; p++) {
        images[out + 3 * p] = bytes[base + 1 + p]!;
        images[out + 3 * p + 1] = bytes[base + 1 + 1024 + p]!;
        images[out + 3 * p + 2] = bytes[base + 1 + 2048 + p]!;
      }
    }
    checkLabels(labels.subarray(n - records, n), 10, file);
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
