export {
  type Augmentation,
  type BatchOptions,
  batchCount,
  batches,
  gatherBatch,
  wholeDataset,
} from './batches.js';
export { CIFAR10_CLASSES, loadCifar10 } from './cifar10.js';
export { CIFAR10_RECORD, parseCifar10Batch } from './cifar10-batch.js';
export { type DatasetFormat, datasetFormatOf } from './dataset-folder.js';
export { DatasetError, type DatasetErrorCode } from './errors.js';
export {
  FASHION_MNIST_BUNDLED_DIR,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEBIAN_DIR,
  type FashionMnistOptions,
  loadFashionMnist,
  loadMnist,
} from './fashion-mnist.js';
export { type IdxArray, maybeGunzip, parseIdx } from './idx.js';
export type { Split } from './idx-dataset.js';
export { type ImageSampleOptions, imageSamples } from './image-samples.js';
export {
  CIFAR10_NORMALIZATION,
  datasetStatistics,
  FASHION_MNIST_NORMALIZATION,
  type Normalization,
  normalizationFor,
} from './normalization.js';
export { permutation, streamRandom } from './rng.js';
export { allSamples, type SampleBatchOptions, sampleBatchCount, sampleBatches } from './sample-batches.js';
export { limitDataset, selectSamples } from './subset.js';
export { makeSyntheticDataset, type SyntheticOptions } from './synthetic.js';
export {
  type ArraySource,
  fromTfDataset,
  type SamplesSource,
  type TensorDatasetOptions,
  type TensorSource,
  type TfDatasetOptions,
  type TfDatasetSource,
  tensorDataset,
} from './tensor-dataset.js';
