/** A labelled image dataset held in memory: uint8 pixels, NHWC. */
export interface ImageDataset {
  /** e.g. `fashion-mnist/train`. */
  readonly name: string;
  /** count · H · W · C bytes, sample after sample, channels last. */
  readonly images: Uint8Array;
  /** One class index per sample, in [0, numClasses). */
  readonly labels: Uint8Array;
  readonly count: number;
  /** [height, width, channels] of one image. */
  readonly shape: readonly [number, number, number];
  readonly numClasses: number;
  readonly classNames?: readonly string[];
}

/** One batch ready for a model: normalised float pixels plus who the samples are. */
export interface DataBatch {
  /** size · H · W · C floats, NHWC, normalised. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  /** Dataset index of each sample (stable across epochs). */
  readonly indices: Int32Array;
  readonly size: number;
  readonly shape: readonly [number, number, number];
}
