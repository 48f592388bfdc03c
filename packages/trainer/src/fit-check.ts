import type { SampleDataset, SampleValues } from '@sundew/types';
import type { LayersModel } from '@tensorflow/tfjs';
import { TrainerConfigError } from './errors.js';
import type { LayersLossModel } from './layers-model.js';

const show = (shape: readonly (number | null)[]): string => `[${shape.map((d) => d ?? 'any').join(', ')}]`;

const CHUNK = 1024;

/** Every target in index order: the dataset's own `targets()`, else gathered a chunk at a time. */
function targetsOf(data: SampleDataset): SampleValues {
  if (data.targets) return data.targets();
  const ySize = data.yShape.reduce((a, b) => a * b, 1);
  const out =
    data.yDtype === 'int32' ? new Int32Array(data.count * ySize) : new Float32Array(data.count * ySize);
  for (let start = 0; start < data.count; start += CHUNK) {
    const n = Math.min(CHUNK, data.count - start);
    out.set(data.gather(Int32Array.from({ length: n }, (_, i) => start + i)).y, start * ySize);
  }
  return out;
}

/**
 * The data fits the model: one sample's input shape is the model's (free
 * dimensions match anything), and the targets fit the loss (labels in range,
 * one-hot rows as wide as the output, one value per output otherwise).
 */
export function checkFitData(
  model: LayersModel,
  lossModel: LayersLossModel,
  data: SampleDataset,
  role: string,
): void {
  const want = model.inputs[0]!.shape.slice(1);
  const got = data.xShape;
  if (want.length !== got.length || want.some((d, i) => d !== null && d !== got[i])) {
    throw new TrainerConfigError(
      `fitSparse: ${role}: the model takes inputs of shape ${show(want)} per sample but the data has ${show(got)}`,
    );
  }
  const out = model.outputs[0]!.shape.slice(1);
  const units = out.reduce((a: number, b) => a * (b ?? 1), 1);
  const ySize = data.yShape.reduce((a, b) => a * b, 1);
  if (lossModel.loss === 'custom') return;
  if (lossModel.loss === 'sparseCategoricalCrossentropy') {
    if (ySize !== 1) {
      throw new TrainerConfigError(
        `fitSparse: ${role}: loss sparseCategoricalCrossentropy takes one integer label per sample but the targets ` +
          `have shape ${show(data.yShape)} per sample; for one-hot rows use loss categoricalCrossentropy`,
      );
    }
    const y = targetsOf(data);
    const bad = y.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= units);
    if (bad >= 0) {
      throw new TrainerConfigError(
        `fitSparse: ${role}: label ${y[bad]} at sample ${bad} is not a class of the ${units}-way output; ` +
          `expected integers 0–${units - 1} (or one-hot rows with loss categoricalCrossentropy)`,
      );
    }
    return;
  }
  if (ySize !== units) {
    throw new TrainerConfigError(
      `fitSparse: ${role}: targets of shape ${show(data.yShape)} per sample do not fit the model's output ${show(out)} ` +
        `for loss ${lossModel.loss}; give one target value per output, or integer labels with loss sparseCategoricalCrossentropy`,
    );
  }
}
