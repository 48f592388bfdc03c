import * as tf from '@tensorflow/tfjs-core';
import { gatherConfig } from './gather-kernel.js';
import { reassertOnSetup, registerOver } from './kernel-registry.js';
import { kernelsOf, pointer, type WasmBackendLike } from './wasm-module.js';

/** A gradient kernel was called with inputs it cannot handle (the message says what and what would work). */
export class GradientKernelError extends Error {
  constructor(
    readonly kernelName: string,
    message: string,
  ) {
    super(`${kernelName} (@sundew/kernels, wasm): ${message}`);
    this.name = 'GradientKernelError';
  }
}

type Info = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/** The geometry arguments of csrc/sundew_gradients.c, from tfjs's own Conv2DInfo (so every padding mode means what tfjs means). */
const geometry = (c: Info) => [
  c.batchSize,
  c.inHeight,
  c.inWidth,
  c.inChannels,
  c.outHeight,
  c.outWidth,
  c.filterHeight,
  c.filterWidth,
  c.strideHeight,
  c.strideWidth,
  c.dilationHeight,
  c.dilationWidth,
  c.padInfo.top,
  c.padInfo.left,
];

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function expectShape(kernel: string, name: string, t: tf.TensorInfo, want: readonly number[]): void {
  if (!same(t.shape, want)) {
    throw new GradientKernelError(kernel, `${name} must have shape [${want}]; received [${t.shape}]`);
  }
}

function expectRank4(kernel: string, name: string, shape: readonly number[]): Shape4 {
  if (shape.length !== 4) {
    throw new GradientKernelError(kernel, `${name} must be rank 4 (NHWC); received shape [${shape}]`);
  }
  return shape as Shape4;
}

function expectDtypes(
  kernel: string,
  inputs: Record<string, tf.TensorInfo | undefined>,
  dtypes: Record<string, tf.DataType>,
): void {
  for (const [name, dtype] of Object.entries(dtypes)) {
    const t = inputs[name];
    if (!t) throw new GradientKernelError(kernel, `input "${name}" is missing`);
    if (t.dtype !== dtype) {
      throw new GradientKernelError(kernel, `input "${name}" must be ${dtype}; received ${t.dtype}`);
    }
  }
}

function expectNHWC(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new GradientKernelError(
      kernel,
      `only dataFormat 'NHWC' is implemented; received '${dataFormat}' (tf.layers runs NHWC: use dataFormat 'channelsLast', or transpose to NHWC first)`,
    );
  }
}

/**
 * The geometry of a convolution gradient, after the checks all four kernels
 * make: the filter's input channels equal the input's, and dy has the
 * convolution's output shape. `inLabel` / `filterLabel` name the operands in
 * the messages.
 */
function checkedConvInfo(
  kernel: string,
  a: {
    strides: number | [number, number];
    pad: tf.Conv2DBackpropFilterAttrs['pad'];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
  inShape: Shape4,
  filterShape: Shape4,
  labels: { input: string; filter: string },
  dy: tf.TensorInfo,
  dilations: number | [number, number],
  depthwise: boolean,
): Info {
  if (filterShape[2] !== inShape[3]) {
    throw new GradientKernelError(
      kernel,
      `${labels.filter}[2] (${filterShape[2]}) must equal ${labels.input}[3] (${inShape[3]})`,
    );
  }
  const c = tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    a.strides,
    dilations,
    a.pad,
    a.dimRoundingMode,
    depthwise,
  );
  expectShape(kernel, 'dy', dy, c.outShape);
  return c;
}

type Kernel = (
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
  backend: WasmBackendLike,
) => tf.TensorInfo;

const config = (kernelName: string, run: Kernel): tf.KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) =>
    run(
      inputs as Record<string, tf.TensorInfo>,
      (attrs ?? {}) as Record<string, unknown>,
      backend as unknown as WasmBackendLike,
    ),
});

const conv2dBackpropFilter: Kernel = (inputs, attrs, b) => {
  const name = tf.Conv2DBackpropFilter;
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  expectDtypes(name, inputs, { x: 'float32', dy: 'float32' });
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  expectNHWC(name, a.dataFormat);
  const xShape = expectRank4(name, 'x', x.shape);
  const filterShape = expectRank4(name, 'filterShape', a.filterShape);
  const labels = { input: 'the input channels x.shape', filter: 'filterShape' };
  const c = checkedConvInfo(name, a, xShape, filterShape, labels, dy, 1, false);
  const dw = b.makeOutput(filterShape, 'float32');
  kernelsOf(b).conv2d_backprop_filter(
    pointer(b, x),
    pointer(b, dy),
    pointer(b, dw),
    ...geometry(c),
    c.outChannels,
  );
  return dw;
};

const conv2dBackpropInput: Kernel = (inputs, attrs, b) => {
  const name = tf.Conv2DBackpropInput;
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  expectDtypes(name, inputs, { dy: 'float32', filter: 'float32' });
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const inShape = expectRank4(name, 'inputShape', a.inputShape);
  const filterShape = expectRank4(name, 'filter', filter.shape);
  const labels = { input: 'inputShape', filter: 'filter.shape' };
  const c = checkedConvInfo(name, a, inShape, filterShape, labels, dy, 1, false);
  const k = kernelsOf(b);
  const wt = b.makeOutput(filterShape, 'float32');
  k.transpose_filter(
    pointer(b, filter),
    pointer(b, wt),
    filterShape[0] * filterShape[1],
    filterShape[2],
    filterShape[3],
  );
  const dx = b.makeOutput(inShape, 'float32');
  k.conv2d_backprop_input(pointer(b, dy), pointer(b, wt), pointer(b, dx), ...geometry(c), c.outChannels);
  b.disposeData(wt.dataId);
  return dx;
};

const depthwiseBackpropFilter: Kernel = (inputs, attrs, b) => {
  const name = tf.DepthwiseConv2dNativeBackpropFilter;
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  expectDtypes(name, inputs, { x: 'float32', dy: 'float32' });
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const xShape = expectRank4(name, 'x', x.shape);
  const filterShape = expectRank4(name, 'filterShape', a.filterShape);
  const labels = { input: 'x.shape', filter: 'filterShape' };
  const c = checkedConvInfo(name, a, xShape, filterShape, labels, dy, a.dilations, true);
  const dw = b.makeOutput(filterShape, 'float32');
  kernelsOf(b).depthwise_backprop_filter(
    pointer(b, x),
    pointer(b, dy),
    pointer(b, dw),
    ...geometry(c),
    filterShape[3],
  );
  return dw;
};

const depthwiseBackpropInput: Kernel = (inputs, attrs, b) => {
  const name = tf.DepthwiseConv2dNativeBackpropInput;
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  expectDtypes(name, inputs, { dy: 'float32', filter: 'float32' });
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const inShape = expectRank4(name, 'inputShape', a.inputShape);
  const filterShape = expectRank4(name, 'filter', filter.shape);
  const labels = { input: 'inputShape', filter: 'filter.shape' };
  const c = checkedConvInfo(name, a, inShape, filterShape, labels, dy, a.dilations, true);
  const dx = b.makeOutput(inShape, 'float32');
  kernelsOf(b).depthwise_backprop_input(
    pointer(b, dy),
    pointer(b, filter),
    pointer(b, dx),
    ...geometry(c),
    filterShape[3],
  );
  return dx;
};

const maxPoolGrad: Kernel = (inputs, attrs, b) => {
  const name = tf.MaxPoolGrad;
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  expectDtypes(name, inputs, { dy: 'float32', input: 'float32' });
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const c = tf.backend_util.computePool2DInfo(
    expectRank4(name, 'input', input.shape),
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  expectShape(name, 'dy', dy, c.outShape);
  const dx = b.makeOutput(input.shape, 'float32');
  kernelsOf(b).max_pool_grad(pointer(b, input), pointer(b, dy), pointer(b, dx), ...geometry(c));
  return dx;
};

const avgPoolGrad: Kernel = (inputs, attrs, b) => {
  const name = tf.AvgPoolGrad;
  const a = attrs as unknown as tf.AvgPoolGradAttrs;
  expectDtypes(name, inputs, { dy: 'float32', input: 'float32' });
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  // No dimRoundingMode: tfjs's avgPool gradient sends none (as its cpu kernel reads none).
  const c = tf.backend_util.computePool2DInfo(
    expectRank4(name, 'input', input.shape),
    a.filterSize,
    a.strides,
    1,
    a.pad,
  );
  expectShape(name, 'dy', dy, c.outShape);
  const dx = b.makeOutput(input.shape, 'float32');
  kernelsOf(b).avg_pool_grad(pointer(b, dy), pointer(b, dx), ...geometry(c));
  return dx;
};

const unsortedSegmentSum: Kernel = (inputs, attrs, b) => {
  const name = tf.UnsortedSegmentSum;
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  expectDtypes(name, inputs, { x: 'float32', segmentIds: 'int32' });
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const rows = x.shape[0] ?? 1;
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== rows || x.shape.length === 0) {
    throw new GradientKernelError(
      name,
      `segmentIds must be rank 1 with one id per row of x (shape [${rows}]); received x [${x.shape}], segmentIds [${segmentIds.shape}]`,
    );
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new GradientKernelError(
      name,
      `numSegments must be a non-negative integer; received ${numSegments}`,
    );
  }
  const inner = x.shape.slice(1).reduce((p, q) => p * q, 1);
  const out = b.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
  kernelsOf(b).unsorted_segment_sum(
    pointer(b, x),
    pointer(b, segmentIds),
    pointer(b, out),
    rows,
    inner,
    numSegments,
  );
  return out;
};

/**
 * The gradient kernels, one per tfjs kernel name. `MaxPoolGrad` replaces
 * tfjs-backend-wasm 4.22's own, which drops part of the gradient when an
 * input pixel is the maximum of some channels and not others;
 * `Conv2DBackpropInput` and `AvgPoolGrad` replace its scalar loops (NCHW
 * still goes to its Conv2DBackpropInput).
 */
export const wasmGradientKernelConfigs: tf.KernelConfig[] = [
  config(tf.Conv2DBackpropFilter, conv2dBackpropFilter),
  config(tf.Conv2DBackpropInput, conv2dBackpropInput),
  config(tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter),
  config(tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput),
  config(tf.MaxPoolGrad, maxPoolGrad),
  config(tf.AvgPoolGrad, avgPoolGrad),
  config(tf.UnsortedSegmentSum, unsortedSegmentSum),
];

/** `ours` for NHWC, tfjs-backend-wasm's kernel `own` (set up with the backend as before) for NCHW. */
function nchwTo(own: tf.KernelConfig, ours: tf.KernelConfig): tf.KernelConfig {
  return {
    ...ours,
    ...(own.setupFunc ? { setupFunc: own.setupFunc } : {}),
    kernelFunc: (args) =>
      (args.attrs as { dataFormat?: string } | undefined)?.dataFormat === 'NCHW'
        ? own.kernelFunc(args)
        : ours.kernelFunc(args),
  };
}

/**
 * Register, for the `wasm` backend, the gradient kernels that
 * tfjs-backend-wasm 4.22 lacks or gets wrong, so that `model.fit` of
 * tf.layers models with convolutions, depthwise/separable convolutions,
 * max pooling and embeddings trains there; and a GatherV2 that copies rows
 * (model.fit's batches, embedding lookups). Idempotent; they stay registered
 * if tfjs-backend-wasm is imported afterwards.
 */
export function registerWasmGradientKernels(): void {
  for (const c of wasmGradientKernelConfigs) {
    registerOver(c, c.kernelName === tf.Conv2DBackpropInput ? (own) => nchwTo(own, c) : undefined);
  }
  registerOver(gatherConfig(undefined), (own) => gatherConfig(own));
  reassertOnSetup(registerWasmGradientKernels);
}
