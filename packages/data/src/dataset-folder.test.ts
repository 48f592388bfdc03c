import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError, datasetFormatOf, FASHION_MNIST_BUNDLED_DIR, loadCifar10, loadMnist } from './index.js';

async function folderWith(...names: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sundew-folder-'));
  for (const name of names) await writeFile(join(dir, name), 'x');
  return dir;
}

const failure = async (p: Promise<unknown>): Promise<DatasetError> => {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
};

describe('a data folder of another dataset', () => {
  it('is recognised by its file names', async () => {
    expect(await datasetFormatOf(FASHION_MNIST_BUNDLED_DIR)).toBe('idx');
    expect(await datasetFormatOf(await folderWith('data_batch_1.bin', 'batches.meta.txt'))).toBe(
      'cifar10-binary',
    );
    expect(await datasetFormatOf(await folderWith('notes.txt'))).toBeNull();
    expect(await datasetFormatOf('/nonexistent')).toBeNull();
  });

  it('CIFAR-10 asked, an MNIST-format folder given: says what the folder holds', async () => {
    const e = await failure(loadCifar10({ dir: FASHION_MNIST_BUNDLED_DIR, split: 'train' }));
    expect(e.code).toBe('wrong-dataset');
    expect(e.message).toBe(
      `${FASHION_MNIST_BUNDLED_DIR}: this folder holds MNIST-format IDX files (train-images-idx3-ubyte…): Fashion-MNIST or MNIST, not the CIFAR-10 binary version`,
    );
  });

  it('MNIST-format asked, a CIFAR-10 folder given: says what the folder holds', async () => {
    const dir = await folderWith('data_batch_1.bin', 'test_batch.bin');
    const e = await failure(loadMnist({ dir, split: 'test' }));
    expect(e.code).toBe('wrong-dataset');
    expect(e.message).toBe(
      `${dir}: this folder holds CIFAR-10 binary batches (data_batch_1.bin…), not mnist IDX files`,
    );
  });

  it('names the first missing CIFAR-10 batch, always the same one', async () => {
    const dir = await folderWith('data_batch_3.bin');
    for (let i = 0; i < 5; i++) {
      expect((await failure(loadCifar10({ dir, split: 'train' }))).message).toMatch(
        /data_batch_1\.bin: file not found/,
      );
    }
  });
});
