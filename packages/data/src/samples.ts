// The file-free half of the package (no Node APIs): batching, normalisation,
// augmentation, tensor datasets. What a browser worker imports: `@sundew/data/samples`.
export {
  type Augmentation,
  type BatchOptions,
  batchCount,
  batches,
  gatherBatch,
  wholeDataset,
} from './batches.js';
export { FASHION_MNIST_CLASSES } from './classes.js';
export { DatasetError, type DatasetErrorCode } from './errors.js';
export { type ImageSampleOptions, imageSamples } from './image-samples.js';
export {
  CIFAR10_NORMALIZATION,
  datasetStatistics,
  FASHION_MNIST_NORMALIZATION,
  type Normalization,
  normalizationFor,
} from './normalization.js';
export { applyRegime, isCleanRegime, type Regime, type RegimeOptions } from './regimes.js';
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
