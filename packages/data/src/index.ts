// Everything of `@sundew/data/samples` (no Node APIs), plus the file loaders.

export { CIFAR10_CLASSES, loadCifar10 } from './cifar10.js';
export { CIFAR10_RECORD, parseCifar10Batch } from './cifar10-batch.js';
export { type DatasetFormat, datasetFormatOf } from './dataset-folder.js';
export {
  FASHION_MNIST_BUNDLED_DIR,
  FASHION_MNIST_DEBIAN_DIR,
  type FashionMnistOptions,
  loadFashionMnist,
  loadMnist,
} from './fashion-mnist.js';
export { type IdxArray, maybeGunzip, parseIdx } from './idx.js';
export type { Split } from './idx-dataset.js';
export * from './samples.js';
