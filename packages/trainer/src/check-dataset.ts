import type { ImageDataset } from '@sundew/types';
import type { Model } from '@sundew/types/model';
import { TrainerConfigError } from './errors.js';

const kind = (v: unknown): string =>
  v === null || v === undefined ? String(v) : ((v as object).constructor?.name ?? typeof v);

/**
 * A dataset the model can train or validate on: byte images of the model's
 * shape (so no NaN can reach it), one label per image, every label a class the
 * model predicts. `role` is `train` or `validation`, named in the message.
 */
export function checkDataset(role: 'train' | 'validation', data: ImageDataset, model: Model): void {
  const where = `train: the ${role} set ${data?.name ?? ''}`.trimEnd();
  if (!Number.isSafeInteger(data?.count) || data.count < 1) {
    throw new TrainerConfigError(`${where} must hold at least one image; received count ${data?.count}`);
  }
  const [h, w, c] = model.inputShape;
  const [dh, dw, dc] = data.shape ?? [];
  if (h !== dh || w !== dw || c !== dc) {
    throw new TrainerConfigError(
      `train: the model ${model.name} takes ${h}×${w}×${c} images but the ${role} set ${data.name} has ` +
        `${dh}×${dw}×${dc}; choose the model preset that matches the dataset`,
    );
  }
  const bytes = data.count * h * w * c;
  if (!(data.images instanceof Uint8Array) || data.images.length !== bytes) {
    const nonFinite = ArrayBuffer.isView(data.images)
      ? (data.images as unknown as ArrayLike<number>).length -
        Array.prototype.filter.call(data.images, Number.isFinite).length
      : 0;
    throw new TrainerConfigError(
      `${where}: images must be a Uint8Array of count·H·W·C = ${bytes} bytes (0–255); received ` +
        `${kind(data.images)} of length ${(data.images as { length?: number } | undefined)?.length}` +
        (nonFinite > 0 ? ` with ${nonFinite} NaN or infinite value(s)` : ''),
    );
  }
  if (!(data.labels instanceof Uint8Array) || data.labels.length !== data.count) {
    throw new TrainerConfigError(
      `${where}: labels must be a Uint8Array of ${data.count} class indices; received ` +
        `${kind(data.labels)} of length ${(data.labels as { length?: number } | undefined)?.length}`,
    );
  }
  if (data.numClasses > model.numClasses) {
    throw new TrainerConfigError(
      `${where} has ${data.numClasses} classes but the model ${model.name} predicts ${model.numClasses}`,
    );
  }
  const classes = Math.min(data.numClasses, model.numClasses);
  const bad = data.labels.findIndex((l) => l >= classes);
  if (bad >= 0) {
    throw new TrainerConfigError(
      `${where}: label ${data.labels[bad]} at sample ${bad} is out of range; expected 0–${classes - 1}`,
    );
  }
}
