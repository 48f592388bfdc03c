// Which tf.layers train on a backend: one tiny model per layer, its weight
// gradients on the backend under test against the cpu backend's, and one
// `model.fit` step. Used by layer-probe.test.ts and scripts/probe-layers.ts;
// not part of the package's build (it needs @tensorflow/tfjs-layers).
import * as tf from '@tensorflow/tfjs';

/** One probed layer: a model whose every trainable weight gets a gradient through the layer under test. */
export interface ProbeCase {
  /** The layer as a user would name it (`tf.layers.<name>`). */
  layer: string;
  /** Input shape without the batch axis. */
  input: number[];
  /** Integer inputs in [0, vocab) instead of normal floats (embeddings). */
  vocab?: number;
  /** Batch size (default 4). */
  batch?: number;
  /** The layers after the input; a trainable layer comes first where the one under test has an input gradient. */
  build: () => tf.layers.Layer[];
}

const head = () => [tf.layers.flatten(), tf.layers.dense({ units: 3 })];
// A dense layer on the last axis before the layer under test, so its input gradient is needed too.
const pre = (units = 3) => tf.layers.dense({ units });

/** The layers a typical model uses (issue 17's list) plus a few more of tf.layers' trainable kinds. */
export const probeCases: ProbeCase[] = [
  {
    layer: 'dense',
    input: [5],
    build: () => [tf.layers.dense({ units: 4, activation: 'relu' }), tf.layers.dense({ units: 3 })],
  },
  {
    layer: 'conv1d',
    input: [9, 2],
    build: () => [
      pre(),
      tf.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
      ...head(),
    ],
  },
  {
    layer: 'conv2d',
    input: [7, 7, 2],
    build: () => [pre(), tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }), ...head()],
  },
  {
    layer: 'conv2d (strides 2, valid)',
    input: [9, 9, 2],
    build: () => [pre(), tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2 }), ...head()],
  },
  {
    layer: 'conv2d (channelsFirst)',
    input: [2, 7, 7],
    build: () => [tf.layers.conv2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' }), ...head()],
  },
  {
    layer: 'conv2dTranspose',
    input: [4, 4, 2],
    build: () => [
      pre(),
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      ...head(),
    ],
  },
  {
    layer: 'depthwiseConv2d',
    input: [7, 7, 2],
    build: () => [pre(), tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }), ...head()],
  },
  {
    layer: 'separableConv2d',
    input: [7, 7, 2],
    build: () => [
      pre(),
      tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
      ...head(),
    ],
  },
  {
    layer: 'maxPooling1d',
    input: [8, 2],
    build: () => [pre(), tf.layers.maxPooling1d({ poolSize: 2 }), ...head()],
  },
  {
    layer: 'maxPooling2d',
    input: [8, 8, 2],
    build: () => [pre(), tf.layers.maxPooling2d({ poolSize: 2 }), ...head()],
  },
  {
    layer: 'averagePooling2d',
    input: [8, 8, 2],
    build: () => [pre(), tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), ...head()],
  },
  {
    layer: 'globalAveragePooling2d',
    input: [6, 6, 2],
    build: () => [pre(), tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 3 })],
  },
  {
    layer: 'globalMaxPooling2d',
    input: [6, 6, 2],
    build: () => [pre(), tf.layers.globalMaxPooling2d({}), tf.layers.dense({ units: 3 })],
  },
  {
    layer: 'batchNormalization',
    input: [6, 6, 2],
    build: () => [pre(), tf.layers.batchNormalization(), ...head()],
  },
  {
    layer: 'layerNormalization',
    input: [6],
    build: () => [pre(5), tf.layers.layerNormalization(), tf.layers.dense({ units: 3 })],
  },
  {
    layer: 'dropout',
    input: [6],
    build: () => [pre(5), tf.layers.dropout({ rate: 0.3, seed: 7 }), tf.layers.dense({ units: 3 })],
  },
  {
    layer: 'embedding',
    input: [5],
    vocab: 11,
    build: () => [tf.layers.embedding({ inputDim: 11, outputDim: 4 }), ...head()],
  },
  {
    layer: 'simpleRNN',
    input: [5, 3],
    build: () => [pre(), tf.layers.simpleRNN({ units: 4 }), tf.layers.dense({ units: 3 })],
  },
  {
    layer: 'lstm',
    input: [5, 3],
    build: () => [pre(), tf.layers.lstm({ units: 4 }), tf.layers.dense({ units: 3 })],
  },
  {
    layer: 'gru',
    input: [5, 3],
    build: () => [pre(), tf.layers.gru({ units: 4 }), tf.layers.dense({ units: 3 })],
  },
  {
    layer: 'flatten / reshape',
    input: [4, 3],
    build: () => [pre(4), tf.layers.reshape({ targetShape: [2, 8] }), ...head()],
  },
  {
    layer: 'upSampling2d',
    input: [3, 3, 2],
    // Batch 1: the cpu backend's ResizeNearestNeighborGrad reads dy at the
    // wrong batch offset when batch > 1 (tfjs-backend-cpu 4.22), so it cannot
    // be the reference there; the wasm backend's is right.
    batch: 1,
    build: () => [pre(), tf.layers.upSampling2d({ size: [2, 2] }), ...head()],
  },
  {
    layer: 'zeroPadding2d / cropping2d',
    input: [4, 4, 2],
    build: () => [
      pre(),
      tf.layers.zeroPadding2d({ padding: 2 }),
      tf.layers.cropping2D({ cropping: 1 }),
      ...head(),
    ],
  },
];

/** What the probe found for one layer. */
export interface ProbeResult {
  layer: string;
  /** Gradients computed and `model.fit` ran on the backend. */
  trains: boolean;
  /** The first error's message (a missing kernel's name is in it), if any. */
  error?: string;
  /** max |g − g_cpu| / max(1, max |g_cpu|) over every weight gradient. */
  gradError?: number;
}

function buildModel(c: ProbeCase): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: c.input }));
  for (const layer of c.build()) model.add(layer);
  return model;
}

function data(c: ProbeCase): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const batch = c.batch ?? 4;
    const shape = [batch, ...c.input];
    const x = c.vocab
      ? tf.randomUniform(shape, 0, c.vocab, 'int32', 1)
      : tf.randomNormal(shape, 0, 1, 'float32', 1);
    const y = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: batch }, (_, i) => i % 3),
        'int32',
      ),
      3,
    );
    return { x, y };
  });
}

/** Weight gradients of a softmax cross-entropy, in the order of `model.trainableWeights`. */
function weightGrads(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Float32Array[] {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  }, vars);
  const out = vars.map((w) => {
    const g = grads[w.name];
    if (!g) throw new Error(`no gradient for ${w.name}`);
    return g.dataSync() as Float32Array;
  });
  tf.dispose([value, grads]);
  return out;
}

/**
 * Weights from a seed (layer initializers draw from Math.random), so every
 * run probes the same numbers: uniform in ±0.5 for drawn weights, the
 * initial constant plus up to 0.1 for constant ones (biases, gammas, moving
 * statistics, so variances stay positive).
 */
function seededWeights(model: tf.LayersModel): tf.Tensor[] {
  return tf.tidy(() =>
    model.getWeights().map((w, k) => {
      const values = w.dataSync();
      const constant = values.every((v) => v === values[0]);
      const noise = tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 100 + k);
      return constant ? tf.add(values[0] ?? 0, tf.abs(tf.mul(noise, 0.2))) : noise;
    }),
  );
}

/** Gradients of one fresh model built from `weights` (seeded ones when absent) on the active backend. */
function gradsOn(
  c: ProbeCase,
  weights: Float32Array[] | undefined,
): { weights: Float32Array[]; grads: Float32Array[] } {
  const model = buildModel(c);
  try {
    const values = weights
      ? weights.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape))
      : seededWeights(model);
    model.setWeights(values);
    tf.dispose(values);
    const own = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const { x, y } = data(c);
    const grads = weightGrads(model, x, y);
    tf.dispose([x, y]);
    return { weights: own, grads };
  } finally {
    model.dispose();
  }
}

async function fitOnce(c: ProbeCase): Promise<void> {
  const model = buildModel(c);
  const { x, y } = data(c);
  const optimizer = tf.train.sgd(0.01);
  try {
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: x.shape[0], verbose: 0 });
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Probe every case on `backend` (registered beforehand): gradients against the
 * cpu backend's with the same weights and data, then one `model.fit` step.
 */
export async function probeLayers(backend: string, cases: ProbeCase[] = probeCases): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const c of cases) {
    await tf.setBackend('cpu');
    let reference: ReturnType<typeof gradsOn>;
    try {
      reference = gradsOn(c, undefined);
    } catch (e) {
      results.push({ layer: c.layer, trains: false, error: `cpu backend: ${(e as Error).message}` });
      continue;
    }
    await tf.setBackend(backend);
    try {
      const { grads } = gradsOn(c, reference.weights);
      let worst = 0;
      grads.forEach((g, k) => {
        const want = reference.grads[k]!;
        let scale = 1;
        for (const v of want) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]! - want[i]!) / scale);
      });
      await fitOnce(c);
      results.push({ layer: c.layer, trains: true, gradError: worst });
    } catch (e) {
      results.push({ layer: c.layer, trains: false, error: (e as Error).message.split('\n')[0] ?? '' });
    }
  }
  return results;
}

/** The missing kernel's name in an error, or the error itself. */
export function failureOf(r: ProbeResult): string {
  if (r.trains) return '';
  const missing = /Kernel '(\w+)' not registered/.exec(r.error ?? '');
  return missing ? `\`${missing[1]}\` missing` : (r.error ?? 'failed');
}
