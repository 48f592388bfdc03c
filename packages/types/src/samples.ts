/** Typed arrays a batch carries: float features and targets, or int32 labels and token ids. */
export type SampleValues = Float32Array | Int32Array;

/**
 * One batch of any task, on the CPU side: inputs and targets sample after
 * sample, with who the samples are. Images are one case (x = normalised NHWC
 * floats, y = int32 labels).
 */
export interface SampleBatch {
  /** size · prod(xShape) input values. */
  readonly x: SampleValues;
  /** Shape of one sample's input: [H, W, C] images, [F] features, [T] token ids. */
  readonly xShape: readonly number[];
  /** size · prod(yShape) targets: int32 class indices, float32 one-hot rows or regression values. */
  readonly y: SampleValues;
  /** Shape of one sample's target: [] for a label or a scalar, [C] for one-hot rows or vectors. */
  readonly yShape: readonly number[];
  /** Dataset index of each sample (stable across epochs): what stale-loss scorers key on. */
  readonly indices: Int32Array;
  readonly size: number;
}

/** A dataset of samples the trainer batches: any input shape, any target, random access by index. */
export interface SampleDataset {
  /** e.g. `tabular/train`; part of a checkpoint's fingerprint. */
  readonly name: string;
  readonly count: number;
  readonly xShape: readonly number[];
  readonly xDtype: 'float32' | 'int32';
  readonly yShape: readonly number[];
  readonly yDtype: 'float32' | 'int32';
  /**
   * The samples at `indices`, in that order. `random` (a seeded stream) is
   * given when training augmentation may draw from it; without it the samples
   * are returned as stored (validation, re-gathers).
   */
  gather(indices: Int32Array, random?: () => number): SampleBatch;
  /**
   * Every sample's targets in index order (count · prod(yShape) values),
   * without gathering the inputs: what checks of the labels read. Optional;
   * without it they gather in chunks.
   */
  targets?(): SampleValues;
}
