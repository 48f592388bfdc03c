import { fileURLToPath } from 'node:url';
import type { ImageDataset } from '@sundew/types';
import { FASHION_MNIST_CLASSES } from './classes.js';
import { loadIdxDataset, type Split } from './idx-dataset.js';

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** The bundled balanced subset (6,000 train / 1,000 test) shipped in this package. */
export const FASHION_MNIST_BUNDLED_DIR = fileURLToPath(
  new URL('../assets/fashion-mnist-subset', import.meta.url),
);

/** Options of `loadFashionMnist`. */
export interface FashionMnistOptions {
  split: Split;
  /** Folder with the four IDX files; default: the Debian folder, or the bundled subset with `source: 'bundled'`. */
  dir?: string;
  /** `bundled`: the subset shipped in this package (no download, no system package). */
  source?: 'bundled' | 'dir';
}

/** Load Fashion-MNIST (28×28×1, 10 classes) from IDX files, gzip or raw. */
export function loadFashionMnist(options: FashionMnistOptions): Promise<ImageDataset> {
  const bundled = options.source === 'bundled';
  const dir = bundled ? FASHION_MNIST_BUNDLED_DIR : (options.dir ?? FASHION_MNIST_DEBIAN_DIR);
  return loadIdxDataset({
    dir,
    split: options.split,
    name: bundled ? 'fashion-mnist-subset' : 'fashion-mnist',
    classNames: FASHION_MNIST_CLASSES,
    hint: bundled
      ? 'the bundled subset is missing from this install of @sundew/data; reinstall the package'
      : `expected Fashion-MNIST IDX files here: install them with \`apt-get install dataset-fashion-mnist\` (→ ${FASHION_MNIST_DEBIAN_DIR}), or use the bundled subset`,
  });
}

/** Load MNIST (28×28×1, digits) from a folder of the four IDX files. */
export function loadMnist(options: { dir: string; split: Split }): Promise<ImageDataset> {
  return loadIdxDataset({
    dir: options.dir,
    split: options.split,
    name: 'mnist',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    hint: 'expected MNIST IDX files (train-images-idx3-ubyte[.gz] …) in this folder',
  });
}
