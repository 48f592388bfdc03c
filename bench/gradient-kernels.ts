// The gradient kernels of @sundew/kernels against what tfjs-backend-wasm 4.22
// has (its own Conv2DBackpropInput, MaxPoolGrad, AvgPoolGrad, GatherV2) and against its XNNPACK
// forward convolution of the same layer, on the shapes of bench/cnn-fit.ts's
// CNN (batch 64), interleaved in one run.
//   npm run build -w @sundew/kernels && npx tsx bench/gradient-kernels.ts
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '@sundew/kernels';
import * as tf from '@tensorflow/tfjs';
import { median } from './lib.js';

tf.env().set('PROD', true);
await tf.setBackend('wasm');
const theirs = {
  input: tf.getKernel(tf.Conv2DBackpropInput, 'wasm')!,
  maxPool: tf.getKernel(tf.MaxPoolGrad, 'wasm')!,
  avgPool: tf.getKernel(tf.AvgPoolGrad, 'wasm')!,
  gather: tf.getKernel(tf.GatherV2, 'wasm')!,
};
registerWasmGradientKernels();
const backend = tf.backend();
const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
const [x1, dy1, w1] = [r([64, 28, 28, 1], 1), r([64, 26, 26, 8], 2), r([3, 3, 1, 8], 3)];
const [x2, dy2, w2] = [r([64, 13, 13, 8], 4), r([64, 11, 11, 16], 5), r([3, 3, 8, 16], 6)];
const [p1, pdy1] = [r([64, 26, 26, 8], 7), r([64, 13, 13, 8], 8)];
const table = r([5000, 64], 9);
const ids = tf.randomUniform([3200], 0, 5000, 'int32', 10);
const embeddingGrads = r([3200, 64], 11);

type Inputs = Record<string, tf.Tensor>;
const ours = (name: string, inputs: Inputs, attrs: object) => () =>
  (tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor).dispose();
const their = (k: tf.KernelConfig, inputs: Inputs, attrs: object) => () =>
  void backend.disposeData(
    (
      k.kernelFunc({
        inputs: inputs as tf.NamedTensorMap,
        attrs: attrs as tf.NamedAttrMap,
        backend,
      }) as tf.TensorInfo
    ).dataId,
  );
const conv = (x: tf.Tensor, w: tf.Tensor) => () =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid').dispose();
const filter = { strides: 1, pad: 'valid', dataFormat: 'NHWC' };
const input2 = { ...filter, inputShape: [64, 13, 13, 8] };
const pool = { filterSize: 2, strides: 2, pad: 'valid' };
const rows: [string, Record<string, () => void>][] = [
  [
    'conv1 3×3 1→8, 28×28',
    {
      'Conv2D (XNNPACK, forward)': conv(x1, w1),
      'Conv2DBackpropFilter (ours)': ours(
        tf.Conv2DBackpropFilter,
        { x: x1, dy: dy1 },
        { ...filter, filterShape: [3, 3, 1, 8] },
      ),
    },
  ],
  [
    'conv2 3×3 8→16, 13×13',
    {
      'Conv2D (XNNPACK, forward)': conv(x2, w2),
      'Conv2DBackpropFilter (ours)': ours(
        tf.Conv2DBackpropFilter,
        { x: x2, dy: dy2 },
        { ...filter, filterShape: [3, 3, 8, 16] },
      ),
      'Conv2DBackpropInput (ours)': ours(tf.Conv2DBackpropInput, { dy: dy2, filter: w2 }, input2),
      'Conv2DBackpropInput (tfjs-backend-wasm)': their(theirs.input, { dy: dy2, filter: w2 }, input2),
    },
  ],
  [
    'maxPool 2×2 of 26×26×8',
    {
      'MaxPoolGrad (ours)': ours(tf.MaxPoolGrad, { dy: pdy1, input: p1, output: pdy1 }, pool),
      'MaxPoolGrad (tfjs-backend-wasm)': their(theirs.maxPool, { dy: pdy1, input: p1, output: pdy1 }, pool),
      'AvgPoolGrad (ours)': ours(tf.AvgPoolGrad, { dy: pdy1, input: p1 }, pool),
      'AvgPoolGrad (tfjs-backend-wasm)': their(theirs.avgPool, { dy: pdy1, input: p1 }, pool),
    },
  ],
  [
    'embedding 5000×64, 3,200 ids',
    {
      'GatherV2 (ours)': ours(tf.GatherV2, { x: table, indices: ids }, { axis: 0, batchDims: 0 }),
      'GatherV2 (tfjs-backend-wasm)': their(
        theirs.gather,
        { x: table, indices: ids },
        { axis: 0, batchDims: 0 },
      ),
      'UnsortedSegmentSum (ours, its gradient)': ours(
        tf.UnsortedSegmentSum,
        { x: embeddingGrads, segmentIds: ids },
        { numSegments: 5000 },
      ),
    },
  ],
];
const times = new Map<string, number[]>();
for (let rep = 0; rep < 22; rep++) {
  for (const [layer, fns] of rows) {
    for (const [name, f] of Object.entries(fns)) {
      const t0 = performance.now();
      f();
      if (rep >= 2)
        times.set(`${layer}|${name}`, [...(times.get(`${layer}|${name}`) ?? []), performance.now() - t0]);
    }
  }
}
console.log('median ms of 20 interleaved calls, batch 64, wasm backend (1 thread):');
for (const [layer, fns] of rows) {
  console.log(`  ${layer}`);
  for (const name of Object.keys(fns)) {
    console.log(
      `    ${name.padEnd(40)} ${median(times.get(`${layer}|${name}`)!)
        .toFixed(2)
        .padStart(6)} ms`,
    );
  }
}
tf.dispose([x1, dy1, w1, x2, dy2, w2, p1, pdy1, table, ids, embeddingGrads]);
