import { readdir } from 'node:fs/promises';

/** Formats a dataset folder can hold. */
export type DatasetFormat = 'idx' | 'cifar10-binary';

const SIGNS: Record<DatasetFormat, RegExp> = {
  idx: /^(train|t10k)-(images-idx3|labels-idx1)-ubyte(\.gz)?$/,
  'cifar10-binary': /^(data_batch_[1-5]|test_batch)\.bin$/,
};

const DESCRIPTION: Record<DatasetFormat, string> = {
  idx: 'MNIST-format IDX files (train-images-idx3-ubyte…): Fashion-MNIST or MNIST',
  'cifar10-binary': 'CIFAR-10 binary batches (data_batch_1.bin…)',
};

/** Which known dataset format the files of `dir` belong to, if any (by file name). */
export async function datasetFormatOf(dir: string): Promise<DatasetFormat | null> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const format of Object.keys(SIGNS) as DatasetFormat[]) {
    if (names.some((n) => SIGNS[format].test(n))) return format;
  }
  return null;
}

/** `this folder holds …, not …`: for a folder of another dataset than the loader reads. */
export function describeFormat(format: DatasetFormat): string {
  return DESCRIPTION[format];
}
