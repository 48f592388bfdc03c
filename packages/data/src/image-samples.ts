import type { ImageDataset, SampleDataset } from '@sundew/types';
import { type Augmentation, gatherBatch } from './batches.js';
import { type Normalization, normalizationFor } from './normalization.js';

/** Options of `imageSamples`. */
export interface ImageSampleOptions {
  /** Default: the dataset's known constants (`normalizationFor`). */
  normalization?: Normalization;
  /** Training augmentation, applied when the batcher hands a random stream. Default none. */
  augment?: Augmentation | false;
}

/**
 * An image dataset as a `SampleDataset`: x = normalised NHWC floats of shape
 * [H, W, C], y = int32 labels. Batches equal those of `batches` for the same
 * seed, epoch and augmentation.
 */
export function imageSamples(dataset: ImageDataset, options: ImageSampleOptions = {}): SampleDataset {
  const normalization = options.normalization ?? normalizationFor(dataset);
  const augment = options.augment ?? false;
  return {
    name: dataset.name,
    count: dataset.count,
    xShape: dataset.shape,
    xDtype: 'float32',
    yShape: [],
    yDtype: 'int32',
    gather(indices, random) {
      const b = gatherBatch(
        dataset,
        indices,
        normalization,
        augment && random ? { ...augment, random } : null,
      );
      return { x: b.images, xShape: b.shape, y: b.labels, yShape: [], indices: b.indices, size: b.size };
    },
    targets: () => Int32Array.from(dataset.labels),
  };
}
