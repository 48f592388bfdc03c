import {
  applyRegime,
  DatasetError,
  FASHION_MNIST_DEBIAN_DIR,
  limitDataset,
  loadCifar10,
  loadFashionMnist,
  makeSyntheticDataset,
} from '@sundew/data';
import type { ImageDataset } from '@sundew/types';
import { createViT, type VisionTransformer } from '@sundew/vit';
import { UsageError } from './errors.js';
import { checkLimits } from './train-checks.js';
import type { TrainConfig } from './train-config.js';

/** The train and test splits a config names, limited as asked. */
export async function loadData(config: TrainConfig): Promise<{
  train: ImageDataset;
  test: ImageDataset;
  source: string;
  warnings: string[];
  /** The training-data regime (`clean` unless asked) and the training indices whose label it flipped. */
  regime: { name: string; flipped: Int32Array };
}> {
  let train: ImageDataset;
  let test: ImageDataset;
  let source: string;
  if (config.dataset === 'synthetic' && config.dataDir) {
    throw new UsageError(
      `--data-dir ${config.dataDir}: --dataset synthetic generates its images and reads no folder; ` +
        'drop --data-dir, or name the dataset the folder holds (--dataset fashion-mnist or cifar10)',
    );
  }
  try {
    ({ train, test, source } = await loadSplits(config));
  } catch (error) {
    if (error instanceof DatasetError && error.code === 'wrong-dataset') {
      const other = config.dataset === 'cifar10' ? 'fashion-mnist' : 'cifar10';
      throw new UsageError(
        `${error.message}; use --dataset ${other}, or --data-dir with the ${config.dataset} files`,
      );
    }
    throw error;
  }
  const [a, b] = [train.shape.join('×'), test.shape.join('×')];
  if (a !== b) {
    throw new UsageError(
      `--data-dir ${config.dataDir}: the training images are ${a} but the test images are ${b}; ` +
        'the folder mixes two datasets: keep the four files of one',
    );
  }
  // Checked on the whole sets, before they are limited: fewer than a class each is an error.
  const warnings = checkLimits(config, { train, test });
  if (config.limitTrain) train = limitDataset(train, config.limitTrain, config.seed);
  if (config.limitTest) test = limitDataset(test, config.limitTest, config.seed);
  const regime = applyRegime(train, {
    ...(config.labelNoise !== undefined ? { labelNoise: config.labelNoise } : {}),
    ...(config.imbalance !== undefined ? { imbalance: config.imbalance } : {}),
    ...(config.duplicates !== undefined ? { duplicates: config.duplicates } : {}),
    seed: config.seed,
  });
  return {
    train: regime.dataset,
    test,
    source,
    warnings,
    regime: { name: regime.name, flipped: regime.flipped },
  };
}

async function loadSplits(
  config: TrainConfig,
): Promise<{ train: ImageDataset; test: ImageDataset; source: string }> {
  let train: ImageDataset;
  let test: ImageDataset;
  let source: string;
  switch (config.dataset) {
    case 'fashion-mnist': {
      const options = config.dataDir ? { dir: config.dataDir } : { source: 'bundled' as const };
      train = await loadFashionMnist({ split: 'train', ...options });
      test = await loadFashionMnist({ split: 'test', ...options });
      source = config.dataDir ?? `bundled subset (full copy: --data-dir ${FASHION_MNIST_DEBIAN_DIR})`;
      break;
    }
    case 'cifar10': {
      if (!config.dataDir) {
        throw new UsageError(
          '--dataset cifar10 needs --data-dir: the folder of the CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin)',
        );
      }
      train = await loadCifar10({ dir: config.dataDir, split: 'train' });
      test = await loadCifar10({ dir: config.dataDir, split: 'test' });
      source = config.dataDir;
      break;
    }
    case 'synthetic': {
      const shape = config.model === 'reference' ? ([32, 32, 3] as const) : ([28, 28, 1] as const);
      train = makeSyntheticDataset({
        count: config.limitTrain ?? 2048,
        shape,
        numClasses: 10,
        seed: config.seed,
      });
      // The same task (class patterns from the seed), other samples.
      test = makeSyntheticDataset({
        count: config.limitTest ?? 512,
        shape,
        numClasses: 10,
        seed: config.seed,
        noiseSeed: config.seed + 1,
      });
      source = 'generated';
      break;
    }
  }
  return { train, test, source };
}

/**
 * The ViT a config names, fitted to the dataset's image shape: `tiny` and
 * `reference` keep their architecture and take the data's size and channels.
 */
export function buildModel(config: TrainConfig, data: ImageDataset): VisionTransformer {
  const [h, w, c] = data.shape;
  const preset = config.model;
  const base = preset === 'tiny' ? { patchSize: 7 } : { patchSize: 4 };
  const patchSize =
    h % base.patchSize === 0 && w % base.patchSize === 0
      ? base.patchSize
      : h % 4 === 0 && w % 4 === 0
        ? 4
        : 1;
  return createViT({
    preset,
    imageSize: [h, w],
    channels: c,
    patchSize,
    numClasses: data.numClasses,
    seed: config.seed,
  });
}
