import type { SampleDataset, SampleValues } from '@sundew/types';
import { DatasetError } from './errors.js';

/** What a `tf.Tensor` offers that a dataset reads (any tensor is one). */
export interface TensorSource {
  readonly shape: readonly number[];
  readonly dtype: string;
  dataSync(): ArrayLike<number>;
}

/** A typed array with the shape of the whole array, samples first: `{ values, shape: [n, 28, 28, 1] }`. */
export interface ArraySource {
  values: ArrayLike<number> & { readonly length: number };
  shape: readonly number[];
}

/** Inputs or targets for `tensorDataset`: a tensor, a shaped typed array, or (targets only) a 1-D typed array. */
export type SamplesSource = TensorSource | ArraySource | Int32Array | Float32Array | Uint8Array;

/** Options of `tensorDataset`. */
export interface TensorDatasetOptions {
  /** Default `tensors`. */
  name?: string;
}

const INTEGER_ARRAYS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
];

const describe = (v: unknown): string =>
  v === null || v === undefined ? String(v) : ((v as object).constructor?.name ?? typeof v);

/** Values, shape and dtype of one source; `role` is named in the errors. */
function read(role: 'x' | 'y', source: SamplesSource): { values: SampleValues; shape: number[] } {
  let raw: ArrayLike<number>;
  let shape: number[];
  let integer: boolean;
  if (source && typeof (source as TensorSource).dataSync === 'function') {
    const t = source as TensorSource;
    raw = t.dataSync();
    shape = [...t.shape];
    integer = t.dtype === 'int32' || t.dtype === 'bool';
  } else if (ArrayBuffer.isView(source) && role === 'y') {
    raw = source as ArrayLike<number>;
    shape = [raw.length];
    integer = INTEGER_ARRAYS.some((C) => source instanceof C);
  } else if (
    source &&
    ArrayBuffer.isView((source as ArraySource).values) &&
    Array.isArray((source as ArraySource).shape)
  ) {
    const a = source as ArraySource;
    raw = a.values;
    shape = [...a.shape];
    integer = INTEGER_ARRAYS.some((C) => a.values instanceof C);
  } else {
    throw new DatasetError(
      'bad-shape',
      `tensorDataset: ${role} must be a tf.Tensor or { values: <typed array>, shape: [n, ...] }` +
        `${role === 'y' ? ' (or a 1-D typed array of labels)' : ''}; received ${describe(source)}`,
    );
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0) || size !== raw.length) {
    throw new DatasetError(
      'bad-shape',
      `tensorDataset: ${role} has shape [${shape.join(', ')}] but ${raw.length} values; ` +
        'the shape must start with the sample count and its product must equal the number of values',
    );
  }
  // The typed-array constructor copies a typed array in one go (`from` iterates it value by value).
  const values = integer ? new Int32Array(raw) : new Float32Array(raw);
  if (!integer) {
    let bad = -1;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        bad = i;
        break;
      }
    }
    if (bad >= 0) {
      throw new DatasetError(
        'bad-shape',
        `tensorDataset: ${role} holds a non-finite value (${values[bad]}) at flat index ${bad}; clean the data first`,
      );
    }
  }
  return { values, shape };
}

/** A dataset from whole-array values: sample i is row i of x and y. */
function fromArrays(
  name: string,
  x: { values: SampleValues; shape: number[] },
  y: { values: SampleValues; shape: number[] },
): SampleDataset {
  const count = x.shape[0]!;
  if (count !== y.shape[0]) {
    throw new DatasetError(
      'size-mismatch',
      `tensorDataset: x has ${count} samples but y has ${y.shape[0]}; give one target per input sample`,
    );
  }
  if (count < 1)
    throw new DatasetError('bad-shape', 'tensorDataset: x and y hold no samples; give at least one');
  const xShape = x.shape.slice(1);
  const yShape = y.shape.slice(1);
  const xSize = xShape.reduce((a, b) => a * b, 1);
  const ySize = yShape.reduce((a, b) => a * b, 1);
  const xIsInt = x.values instanceof Int32Array;
  const yIsInt = y.values instanceof Int32Array;
  return {
    name,
    count,
    xShape,
    xDtype: xIsInt ? 'int32' : 'float32',
    yShape,
    yDtype: yIsInt ? 'int32' : 'float32',
    gather(indices) {
      const n = indices.length;
      const xs = xIsInt ? new Int32Array(n * xSize) : new Float32Array(n * xSize);
      const ys = yIsInt ? new Int32Array(n * ySize) : new Float32Array(n * ySize);
      for (let k = 0; k < n; k++) {
        const i = indices[k]!;
        xs.set(x.values.subarray(i * xSize, (i + 1) * xSize), k * xSize);
        ys.set(y.values.subarray(i * ySize, (i + 1) * ySize), k * ySize);
      }
      return { x: xs, xShape, y: ys, yShape, indices: Int32Array.from(indices), size: n };
    },
    targets: () => y.values.slice(),
  };
}

/**
 * A dataset of inputs x and targets y, both with the sample count first: any
 * input shape (images, features, token ids) and any target (int32 labels,
 * one-hot rows, regression values). Integer arrays and int32 tensors stay
 * int32; everything else becomes float32. Sample i keeps index i.
 */
export function tensorDataset(
  x: SamplesSource,
  y: SamplesSource,
  options: TensorDatasetOptions = {},
): SampleDataset {
  return fromArrays(options.name ?? 'tensors', read('x', x), read('y', y));
}

/** What `fromTfDataset` reads: a `tf.data.Dataset` of `{ xs, ys }` elements. */
export interface TfDatasetSource {
  iterator(): Promise<{ next(): Promise<{ done?: boolean; value: unknown }> }>;
}

/** Options of `fromTfDataset`. */
export interface TfDatasetOptions extends TensorDatasetOptions {
  /** The elements are batches (`.batch(n)` was applied): split them into samples. Default false. */
  batched?: boolean;
}

/**
 * Read a `tf.data.Dataset` of `{ xs, ys }` once into memory. Sample indices
 * follow the dataset's order, so they are stable across epochs (stale-loss
 * scorers key on them) as long as the source is deterministic; the element
 * tensors are disposed as they are read.
 */
export async function fromTfDataset(
  dataset: TfDatasetSource,
  options: TfDatasetOptions = {},
): Promise<SampleDataset> {
  const it = await dataset.iterator();
  const xs: SampleValues[] = [];
  const ys: SampleValues[] = [];
  let xShape: number[] | null = null;
  let yShape: number[] | null = null;
  let count = 0;
  for (let r = await it.next(), e = 0; !r.done; r = await it.next(), e++) {
    const el = r.value as {
      xs?: TensorSource & { dispose?(): void };
      ys?: TensorSource & { dispose?(): void };
    };
    if (!el?.xs || !el.ys) {
      throw new DatasetError(
        'bad-shape',
        `fromTfDataset: element ${e} is not { xs, ys }; map the dataset to { xs: <tensor>, ys: <tensor> } first`,
      );
    }
    const batched = options.batched ?? false;
    const x = read('x', batched ? el.xs : readAsBatch(el.xs));
    const y = read('y', batched ? el.ys : readAsBatch(el.ys));
    el.xs.dispose?.();
    el.ys.dispose?.();
    const xs1 = x.shape.slice(1);
    const ys1 = y.shape.slice(1);
    xShape ??= xs1;
    yShape ??= ys1;
    if (xs1.join() !== xShape.join() || ys1.join() !== yShape.join() || x.shape[0] !== y.shape[0]) {
      throw new DatasetError(
        'bad-shape',
        `fromTfDataset: element ${e} has xs [${x.shape}] and ys [${y.shape}], unlike the first ` +
          `([n, ${xShape}] and [n, ${yShape}]); every element must have the same sample shapes` +
          `${batched ? '' : ' (pass batched: true if the dataset was batched)'}`,
      );
    }
    xs.push(x.values);
    ys.push(y.values);
    count += x.shape[0]!;
  }
  if (!xShape || !yShape) throw new DatasetError('bad-shape', 'fromTfDataset: the dataset is empty');
  const join = (parts: SampleValues[]): SampleValues => {
    const out = parts[0] instanceof Int32Array ? new Int32Array(sum(parts)) : new Float32Array(sum(parts));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  return fromArrays(
    options.name ?? 'tf.data',
    { values: join(xs), shape: [count, ...xShape] },
    { values: join(ys), shape: [count, ...yShape] },
  );
}

const sum = (parts: SampleValues[]): number => parts.reduce((n, p) => n + p.length, 0);

/** One sample's tensor as a batch of one. */
function readAsBatch(t: TensorSource): TensorSource {
  return { shape: [1, ...t.shape], dtype: t.dtype, dataSync: () => t.dataSync() };
}
