import { readFile } from 'node:fs/promises';
import { decodeWeightValues, encodeWeights, WeightsFormatError } from '@sundew/metrics';
import type { Model } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';
import writeFileAtomic from 'write-file-atomic';

export { encodeWeights, WEIGHTS_MAGIC, WeightsFormatError } from '@sundew/metrics';

/**
 * Decode a weights file into named tensors (the caller disposes them): the
 * format of `@sundew/metrics` (`decodeWeightValues`), as tfjs tensors.
 * Any damage throws `WeightsFormatError`; no tensor is made unless all are valid.
 */
export function decodeWeights(
  bytes: Uint8Array,
  source = '<bytes>',
): { model: string; weights: Map<string, tf.Tensor>; extra: unknown } {
  const { model, values, extra } = decodeWeightValues(bytes, source);
  const weights = new Map<string, tf.Tensor>();
  for (const [name, t] of values) weights.set(name, tf.tensor(t.values, t.shape, 'float32'));
  return { model, weights, extra };
}

/** Write a model's weights to `path` atomically (temp file + rename). */
export async function saveWeights(model: Model, path: string): Promise<void> {
  const weights = model.getWeights();
  try {
    await writeFileAtomic(path, encodeWeights(weights, model.name), { fsync: true });
  } finally {
    for (const t of weights.values()) t.dispose();
  }
}

/** Read weights from `path` into a model; a file of another architecture throws `WeightsMismatchError`. */
export async function loadWeights(model: Model, path: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new WeightsFormatError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const { weights } = decodeWeights(bytes, path);
  try {
    model.setWeights(weights);
  } finally {
    for (const t of weights.values()) t.dispose();
  }
}
