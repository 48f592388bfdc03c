import { DatasetError } from './errors.js';

/** Bytes of one CIFAR-10 record: a label byte, then 32×32 R, G and B planes. */
export const CIFAR10_RECORD = 1 + 3 * 1024;

/**
 * Parse one CIFAR-10 binary batch file into NHWC uint8 images and labels,
 * checking its size and every label; throws `DatasetError` naming `file`.
 */
export function parseCifar10Batch(
  bytes: Uint8Array,
  file: string,
): { images: Uint8Array; labels: Uint8Array; count: number } {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD !== 0) {
    throw new DatasetError(
      bytes.length < CIFAR10_RECORD ? 'truncated' : 'size-mismatch',
      `${file}: ${bytes.length} bytes is not a whole number of ${CIFAR10_RECORD}-byte CIFAR-10 records (label + 32×32×3)`,
      file,
    );
  }
  const count = bytes.length / CIFAR10_RECORD;
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR10_RECORD;
    const label = bytes[base]!;
    if (label > 9) {
      throw new DatasetError(
        'label-range',
        `${file}: label ${label} at sample ${r} is out of range; expected 0–9`,
        file,
      );
    }
    labels[r] = label;
    const out = r * 3072;
    // Planar RGB (CHW) → interleaved (HWC).
    for (let p = 0; p < 1024; p++) {
      images[out + 3 * p] = bytes[base + 1 + p]!;
      images[out + 3 * p + 1] = bytes[base + 1 + 1024 + p]!;
      images[out + 3 * p + 2] = bytes[base + 1 + 2048 + p]!;
    }
  }
  return { images, labels, count };
}
