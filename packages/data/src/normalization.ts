import type { ImageDataset } from '@sundew/types';

/** Per-channel mean and standard deviation of pixels scaled to [0, 1]. */
export interface Normalization {
  mean: readonly number[];
  std: readonly number[];
}

/** CIFAR-10 constants of the reference (SPEC "Data"). */
export const CIFAR10_NORMALIZATION: Normalization = {
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.2023, 0.1994, 0.201],
};

/** Fashion-MNIST training-set statistics (measured on the 60,000 training images: see README). */
export const FASHION_MNIST_NORMALIZATION: Normalization = { mean: [0.286], std: [0.353] };

/** The normalisation a dataset is known by, else its own statistics. */
export function normalizationFor(dataset: ImageDataset): Normalization {
  if (dataset.name.startsWith('cifar10')) return CIFAR10_NORMALIZATION;
  if (dataset.name.startsWith('fashion-mnist')) return FASHION_MNIST_NORMALIZATION;
  return datasetStatistics(dataset);
}

/** Measure per-channel mean and std of a dataset's pixels (scaled to [0, 1]). */
export function datasetStatistics(dataset: ImageDataset): Normalization {
  const channels = dataset.shape[2];
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const { images } = dataset;
  for (let i = 0; i < images.length; i++) {
    const v = images[i]! / 255;
    sum[i % channels]! += v;
    sq[i % channels]! += v * v;
  }
  const n = images.length / channels;
  const mean = [...sum].map((s) => s / n);
  return { mean, std: [...sq].map((s, c) => Math.sqrt(Math.max(1e-12, s / n - mean[c]! ** 2))) };
}
