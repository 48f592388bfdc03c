import '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradientKernelError, registerWasmGradientKernels } from './index.js';

const require = createRequire(import.meta.url);

beforeAll(async () => {
  setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  tf.env().set('PROD', true);
});

/** The values f returns on `backend`, read back and disposed. */
async function on(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f).map((t) => {
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return v;
  });
  await tf.setBackend('wasm');
  return out;
}

/** max |a − b| relative to max(1, max |b|), per output. */
function expectClose(a: Float32Array[], b: Float32Array[], tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, k) => {
    const y = b[k]!;
    expect(x.length, `output ${k} length`).toBe(y.length);
    let scale = 1;
    for (const v of y) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    expect(worst / scale, `output ${k}`).toBeLessThan(tol);
  });
}

/** Gradients of sum(f(inputs) · upstream) with respect to every input (the upstream is seeded, so the same on every backend). */
function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): tf.Tensor[] {
  const up = tf.randomNormal(f(...inputs).shape, 0, 1, 'float32', 99);
  return tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), up)))(inputs);
}

const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

async function expectSameAsCpu(f: () => tf.Tensor[], tol?: number): Promise<void> {
  const wasm = await on('wasm', f);
  const cpu = await on('cpu', f);
  expectClose(wasm, cpu, tol);
}

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const explicit = (t: number, b: number, l: number, r: number): Pad => [
  [0, 0],
  [t, b],
  [l, r],
  [0, 0],
];

describe('Conv2DBackpropFilter (tf.conv2d gradients on wasm = on cpu)', () => {
  // [x shape, filter shape, strides, pad]
  const cases: [number[], number[], number | [number, number], Pad][] = [
    [[2, 3, 3, 1], [2, 2, 1, 1], 1, 'valid'], // tfjs-core conv2d_test: gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0
    [[3, 7, 7, 2], [3, 3, 2, 4], 1, 'same'],
    [[2, 9, 8, 3], [3, 3, 3, 5], 2, 'valid'],
    [[2, 9, 8, 3], [3, 2, 3, 5], [2, 3], 'same'],
    [[1, 10, 10, 4], [5, 5, 4, 7], 3, 'same'],
    [[2, 6, 7, 2], [3, 3, 2, 3], 1, explicit(1, 2, 0, 1)],
    [[4, 28, 28, 1], [3, 3, 1, 8], 1, 'valid'],
    [[2, 13, 13, 8], [3, 3, 8, 16], 1, 'same'],
    [[2, 5, 5, 6], [1, 1, 6, 9], 2, 'valid'],
    // Output channels in SIMD blocks of 16 + 8 + 4, odd input channels.
    [[2, 6, 6, 3], [3, 3, 3, 28], 1, 'same'],
    [[1, 7, 5, 5], [2, 3, 5, 12], [2, 1], explicit(0, 1, 2, 1)],
  ];
  it.each(cases)('x %j, filter %j, strides %j, pad %j', async (xs, fs, strides, pad) => {
    await expectSameAsCpu(() =>
      gradsOf(
        (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad),
        [rand(xs, 1), rand(fs, 2)],
      ),
    );
  });

  it('fused conv2d with bias and relu, and dimRoundingMode', async () => {
    await expectSameAsCpu(() => [
      ...gradsOf(
        (x, w, b) =>
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            bias: b,
            strides: 2,
            pad: 'same',
            activation: 'relu',
          }),
        [rand([2, 8, 8, 3], 3), rand([3, 3, 3, 4], 4), rand([4], 5)],
      ),
      ...gradsOf(
        (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 1, 'NHWC', 1, 'ceil'),
        [rand([1, 7, 7, 2], 6), rand([3, 3, 2, 2], 7)],
      ),
    ]);
  });

  it('conv1d', async () => {
    await expectSameAsCpu(() =>
      gradsOf(
        (x, w) => tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 2, 'same'),
        [rand([3, 15, 2], 8), rand([4, 2, 3], 9)],
      ),
    );
  });
});

describe('Conv2DBackpropInput (replaces tfjs-backend-wasm 4.22’s scalar loop)', () => {
  // [dx shape, filter shape, strides, pad]: conv2dTranspose runs Conv2DBackpropInput forward, its gradients Conv2D and Conv2DBackpropFilter.
  const cases: [number[], number[], number | [number, number], Pad][] = [
    [[2, 8, 8, 3], [3, 3, 3, 5], 2, 'same'],
    [[2, 10, 9, 2], [3, 2, 2, 4], [3, 2], 'valid'],
    [[1, 7, 7, 12], [5, 5, 12, 9], 2, 'same'],
  ];
  it.each(cases)(
    'conv2dTranspose to %j, filter %j, strides %j, pad %j',
    async (outShape, fs, strides, pad) => {
      const inShape = tf.backend_util.computeConv2DInfo(
        outShape as [number, number, number, number],
        fs as [number, number, number, number],
        strides,
        1,
        pad,
      ).outShape;
      await expectSameAsCpu(() =>
        gradsOf(
          (x, w) =>
            tf.conv2dTranspose(
              x as tf.Tensor4D,
              w as tf.Tensor4D,
              outShape as [number, number, number, number],
              strides,
              pad,
            ),
          [rand(inShape, 3), rand(fs, 4)],
        ),
      );
    },
  );

  it('NCHW goes to tfjs-backend-wasm’s own kernel', async () => {
    await expectSameAsCpu(() => [
      tf
        .engine()
        .runKernel(
          tf.Conv2DBackpropInput,
          { dy: rand([2, 4, 3, 3], 5), filter: rand([2, 2, 3, 4], 6) },
          { strides: 2, pad: 'valid', dataFormat: 'NCHW', inputShape: [2, 3, 6, 7] },
        ) as tf.Tensor,
    ]);
  });
});

describe('DepthwiseConv2dNativeBackpropFilter and -Input', () => {
  const cases: [number[], number[], number | [number, number], Pad][] = [
    [[2, 5, 5, 2], [3, 3, 2, 1], 1, 'valid'],
    [[2, 7, 6, 3], [3, 3, 3, 2], 1, 'same'],
    [[1, 9, 9, 4], [3, 3, 4, 3], 2, 'same'],
    [[2, 8, 7, 2], [2, 3, 2, 2], [2, 1], 'valid'],
    [[2, 6, 6, 5], [3, 3, 5, 1], 1, explicit(2, 0, 1, 1)],
  ];
  it.each(cases)('x %j, filter %j, strides %j, pad %j', async (xs, fs, strides, pad) => {
    await expectSameAsCpu(() =>
      gradsOf(
        (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad),
        [rand(xs, 10), rand(fs, 11)],
      ),
    );
  });

  it('separableConv2d', async () => {
    await expectSameAsCpu(() =>
      gradsOf(
        (x, d, p) => tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 1, 'same'),
        [rand([2, 6, 6, 3], 12), rand([3, 3, 3, 2], 13), rand([1, 1, 6, 4], 14)],
      ),
    );
  });

  it('dilations (which tfjs gradients never send): equal a dilation-1 gradient of the filter spread out with zeros', async () => {
    const [k, d, C, M] = [3, 2, 3, 2];
    const spread = (k - 1) * d + 1;
    const attrs = { strides: 1, pad: 'same' };
    const run = (name: string, inputs: Record<string, tf.Tensor>, extra: object) =>
      tf
        .engine()
        .runKernel(
          name,
          inputs as tf.NamedTensorMap,
          { ...attrs, ...extra } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor;
    const f = () => {
      const x = rand([2, 8, 8, C], 15);
      const dy = rand([2, 8, 8, C * M], 16);
      const w = rand([k, k, C, M], 17);
      // w at the dilated taps of a spread×spread filter, zeros elsewhere.
      const wv = w.dataSync();
      const buf = tf.buffer([spread, spread, C, M]);
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++)
          for (let c = 0; c < C; c++)
            for (let m = 0; m < M; m++) buf.set(wv[((i * k + j) * C + c) * M + m]!, i * d, j * d, c, m);
      const wSpread = buf.toTensor();
      const dilated = [
        run(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { dilations: d, filterShape: [k, k, C, M] }),
        run(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: w }, { dilations: d, inputShape: x.shape }),
      ];
      const spreadGrads = [
        run(
          tf.DepthwiseConv2dNativeBackpropFilter,
          { x, dy },
          { dilations: 1, filterShape: [spread, spread, C, M] },
        ),
        run(
          tf.DepthwiseConv2dNativeBackpropInput,
          { dy, filter: wSpread },
          { dilations: 1, inputShape: x.shape },
        ),
      ];
      // The dilated taps of the spread filter's gradient.
      const taps = tf.stridedSlice(spreadGrads[0]!, [0, 0, 0, 0], [spread, spread, C, M], [d, d, 1, 1]);
      return [dilated[0]!, taps, dilated[1]!, spreadGrads[1]!];
    };
    const [dw, dwRef, dx, dxRef] = await on('wasm', f);
    expectClose([dw!, dx!], [dwRef!, dxRef!]);
    // And the dilation-1 kernels match cpu on the spread filter.
    const cpu = await on('cpu', f);
    expectClose([dwRef!, dxRef!], [cpu[1]!, cpu[3]!]);
  });
});

describe('MaxPoolGrad (replaces tfjs-backend-wasm 4.22’s)', () => {
  // tfjs-core's max_pool_test.js 'maxPoolBackprop' cases: x, its shape, dy, filter, stride, pad, expected dx.
  const core: [string, number[], number[], number[], number, number, number | Pad, number[]][] = [
    [
      'no dup max',
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
      [3, 3, 1],
      [1, 2, 3, 4],
      2,
      1,
      0,
      [0, 0, 0, 0, 1, 2, 0, 3, 4],
    ],
    [
      'dup max, test 1',
      [0, 0, 0, 0, 5, 0, 0, 0, 0],
      [3, 3, 1],
      [1, 2, 3, 4],
      2,
      1,
      0,
      [0, 0, 0, 0, 10, 0, 0, 0, 0],
    ],
    [
      'dup max, test 2',
      [1, 3, 2, 1, 2, 1, 1, 1, 5],
      [3, 3, 1],
      [1, 2, 3, 4],
      2,
      1,
      0,
      [0, 3, 0, 0, 3, 0, 0, 0, 4],
    ],
    [
      'batch 2, dup max in 2nd input',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 9, 8],
      [2, 3, 3, 1],
      [1, 2, 3, 4, 5, 6, 7, 8],
      2,
      1,
      0,
      [0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 5, 6, 0, 15, 0],
    ],
    [
      's=2',
      [1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1],
      [4, 4, 1],
      [1, 2, 3, 4],
      2,
      2,
      0,
      [0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 0],
    ],
    [
      'f=3 s=2 dup max',
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 24, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 12],
      [5, 5, 1],
      [1, 2, 3, 4],
      3,
      2,
      0,
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
    [
      'depth 2, dup max',
      [0, 1, 0, 3, 0, 2, 0, 1, 5, 2, 0, 1, 0, 1, 0, 1, 0, 5],
      [3, 3, 2],
      [1, 44, 2, 33, 3, 22, 4, 11],
      2,
      1,
      0,
      [0, 0, 0, 77, 0, 0, 0, 0, 10, 22, 0, 0, 0, 0, 0, 0, 0, 11],
    ],
    [
      'depth 2, s=2',
      [0, 1, 1, 2, 2, 2, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1, 9, 1, 10, 1, 11, 1, 12, 1, 13, 2, 14, 2, 15, 1],
      [4, 4, 2],
      [1, 11, 2, 22, 3, 33, 4, 44],
      2,
      2,
      0,
      [0, 0, 0, 11, 0, 22, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 33, 0, 44, 4, 0],
    ],
    [
      'explicit padding',
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
      [3, 3, 1],
      [1, 11, 2, 22, 3, 33, 4, 44],
      3,
      1,
      [
        [0, 0],
        [1, 2],
        [0, 1],
        [0, 0],
      ],
      [0, 0, 0, 0, 0, 12, 0, 0, 108],
    ],
  ];
  it.each(core)('tfjs-core case: %s', async (_, xv, xs, dyv, f, s, pad, want) => {
    const [got] = await on('wasm', () => {
      const x: tf.Tensor = tf.tensor(xv, xs);
      const dy = tf.tensor(dyv);
      return [tf.grad((t) => tf.reshape(tf.maxPool(t as tf.Tensor4D, f, s, pad as Pad), [-1]))(x, dy)];
    });
    expect(Array.from(got!)).toEqual(want);
  });

  // [x shape, filter, strides, pad]; relu'd inputs give ties at 0.
  const cases: [number[], number | [number, number], number | [number, number], Pad][] = [
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 9, 7, 5], 3, 2, 'same'],
    [[1, 6, 6, 4], [2, 3], [1, 2], 'same'],
    [[3, 26, 26, 8], 2, 2, 'valid'],
    [[2, 5, 5, 2], 3, 1, explicit(1, 1, 2, 0)],
  ];
  it.each(cases)('x %j, filter %j, strides %j, pad %j (= cpu)', async (xs, f, s, pad) => {
    await expectSameAsCpu(() => [
      ...gradsOf((x) => tf.maxPool(x as tf.Tensor4D, f, s, pad), [rand(xs, 20)]),
      ...gradsOf((x) => tf.maxPool(tf.relu(x) as tf.Tensor4D, f, s, pad), [rand(xs, 21)]),
    ]);
  });
});

describe('AvgPoolGrad (replaces tfjs-backend-wasm 4.22’s scalar loop)', () => {
  it('tfjs-core cases: x=[3,3,1] f=2 s=1, and f=3 with explicit padding (the divisor counts padded taps)', async () => {
    const [a, b] = await on('wasm', () => [
      tf.grad((t) => tf.avgPool(t as tf.Tensor3D, 2, 1, 0))(
        tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 9, 8], [3, 3, 1]),
        tf.tensor3d([1, 2, 3, 4], [2, 2, 1]),
      ),
      tf.grad((t) => tf.avgPool(t as tf.Tensor3D, 3, 1, explicit(1, 2, 0, 1)))(
        tf.tensor3d([0, 1, 2, 3, 4, 5, 6, 7, 8], [3, 3, 1]),
        tf.tensor3d([0, 3, 0, 6, 0, 9, 0, 12], [4, 2, 1]),
      ),
    ]);
    expectClose(
      [a!, b!],
      [
        new Float32Array([1, 3, 2, 4, 10, 6, 3, 7, 4]).map((v) => v / 4),
        new Float32Array([0, 1, 1, 0, 2, 2, 0, 3, 3]),
      ],
    );
  });

  const cases: [number[], number | [number, number], number | [number, number], Pad][] = [
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 9, 7, 8], 3, 2, 'same'],
    [[1, 6, 6, 4], [2, 3], [1, 2], 'same'],
    [[2, 5, 5, 2], 3, 1, explicit(1, 1, 2, 0)],
  ];
  it.each(cases)('x %j, filter %j, strides %j, pad %j (= cpu)', async (xs, f, s, pad) => {
    await expectSameAsCpu(() => gradsOf((x) => tf.avgPool(x as tf.Tensor4D, f, s, pad), [rand(xs, 22)]));
  });
});

describe('UnsortedSegmentSum (embedding gradients)', () => {
  // tfjs-core's unsorted_segment_sum_test.js cases.
  const core: [string, number[], number[], number[], number, number[], number[]][] = [
    ['tensor1D', [1, 2, 3, 4], [4], [0, 2, 0, 1], 3, [3], [4, 4, 2]],
    ['tensor2D', [1, 2, 3, 4], [2, 2], [0, 0], 2, [2, 2], [4, 6, 0, 0]],
    [
      'tensor3D',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      [3, 2, 2],
      [2, 1, 2],
      3,
      [3, 2, 2],
      [0, 0, 0, 0, 5, 6, 7, 8, 10, 12, 14, 16],
    ],
    ['ignores negative segmentIds', [1, 2, 3, 4], [4], [0, 2, -1, 1], 3, [3], [1, 4, 2]],
  ];
  it.each(core)('tfjs-core case: %s', (_, xv, xs, ids, n, shape, want) => {
    tf.tidy(() => {
      const y = tf.unsortedSegmentSum(tf.tensor(xv, xs), tf.tensor1d(ids, 'int32'), n);
      expect(y.shape).toEqual(shape);
      expect(Array.from(y.dataSync())).toEqual(want);
    });
  });

  it('tf.gather gradients (an embedding table) = cpu', async () => {
    await expectSameAsCpu(() => {
      const ids = tf.tensor2d([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], [3, 4], 'int32');
      return gradsOf((table) => tf.gather(table, ids), [rand([10, 7], 30)]);
    });
  });
});

describe('bad input is named', () => {
  const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) => () =>
    tf.tidy(() => tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap));

  it('NCHW, wrong dy shape, mismatched channels, wrong dtypes, bad segment ids', () => {
    const x = tf.zeros([1, 5, 5, 2]);
    const dy = tf.zeros([1, 3, 3, 4]);
    const conv = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 4] };
    expect(run(tf.Conv2DBackpropFilter, { x, dy }, { ...conv, dataFormat: 'NCHW' })).toThrow(
      /only dataFormat 'NHWC' is implemented; received 'NCHW'/,
    );
    expect(run(tf.Conv2DBackpropFilter, { x, dy: tf.zeros([1, 4, 4, 4]) }, conv)).toThrow(
      /dy must have shape \[1,3,3,4\]; received \[1,4,4,4\]/,
    );
    expect(run(tf.Conv2DBackpropFilter, { x, dy }, { ...conv, filterShape: [3, 3, 3, 4] })).toThrow(
      /filterShape\[2\] \(3\) must equal the input channels x.shape\[3\] \(2\)/,
    );
    expect(run(tf.Conv2DBackpropFilter, { x: tf.zeros([5, 5, 2]), dy }, conv)).toThrow(
      /x must be rank 4 \(NHWC\)/,
    );
    expect(
      run(
        tf.MaxPoolGrad,
        { dy, input: tf.zeros([1, 5, 5, 4], 'int32'), output: dy },
        { filterSize: 3, strides: 1, pad: 'valid' },
      ),
    ).toThrow(/input "input" must be float32; received int32/);
    const depthwise = { strides: 1, pad: 'valid', dilations: 1, inputShape: [1, 5, 5, 2] };
    expect(
      run(
        tf.DepthwiseConv2dNativeBackpropInput,
        { dy: tf.zeros([1, 3, 3, 4]), filter: tf.zeros([3, 3, 3, 2]) },
        depthwise,
      ),
    ).toThrow(/filter.shape\[2\] \(3\) must equal inputShape\[3\] \(2\)/);
    expect(
      run(
        tf.DepthwiseConv2dNativeBackpropInput,
        { dy: tf.zeros([1, 3, 3, 2]), filter: tf.zeros([3, 3, 2, 2]) },
        depthwise,
      ),
    ).toThrow(/dy must have shape \[1,3,3,4\]; received \[1,3,3,2\]/);
    const data = tf.zeros([4, 3]);
    expect(
      run(
        tf.UnsortedSegmentSum,
        { x: data, segmentIds: tf.tensor1d([0, 1, 0], 'int32') },
        { numSegments: 2 },
      ),
    ).toThrow(
      /segmentIds must be rank 1 with one id per row of x \(shape \[4\]\); received x \[4,3\], segmentIds \[3\]/,
    );
    expect(
      run(
        tf.UnsortedSegmentSum,
        { x: data, segmentIds: tf.tensor1d([0, 1, 0, 1], 'float32') },
        { numSegments: 2 },
      ),
    ).toThrow(GradientKernelError);
    tf.dispose([x, dy, data]);
  });
});

describe('memory', () => {
  it('tensor counts stay flat over repeated gradients', () => {
    const x = rand([2, 9, 9, 3], 40);
    const w = rand([3, 3, 3, 4], 41);
    const dw = rand([3, 3, 3, 2], 42);
    const table = rand([10, 4], 43);
    const ids = tf.tensor1d([1, 2, 3, 2], 'int32');
    const step = () =>
      tf.tidy(() => {
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, t: tf.Tensor) =>
          tf.add(
            tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), 2, 2, 'valid')),
            tf.add(
              tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, c as tf.Tensor4D, 2, 'same')),
              tf.sum(tf.gather(t, ids)),
            ),
          ),
        )([x, w, dw, table]);
        return tf.stack(g.map((t) => tf.sum(t)));
      });
    step().dispose();
    const before = tf.memory().numTensors;
    const bytes = (tf.memory() as { numBytes: number }).numBytes;
    for (let i = 0; i < 20; i++) step().dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.memory() as { numBytes: number }).numBytes).toBe(bytes);
    tf.dispose([x, w, dw, table, ids]);
  });
});
