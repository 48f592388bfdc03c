// The training worker: tfjs-backend-wasm (SIMD; threads where the page is
// cross-origin isolated) with Sundew's fused kernels, the bundled data, and
// the step engine driven one batch at a time, each record posted to the page.

import testImagesUrl from '@sundew/data/assets/fashion-mnist-subset/t10k-images-idx3-ubyte.gz?url';
import testLabelsUrl from '@sundew/data/assets/fashion-mnist-subset/t10k-labels-idx1-ubyte.gz?url';
import trainImagesUrl from '@sundew/data/assets/fashion-mnist-subset/train-images-idx3-ubyte.gz?url';
import trainLabelsUrl from '@sundew/data/assets/fashion-mnist-subset/train-labels-idx1-ubyte.gz?url';
import { kernelsActive, registerSundewKernels, setKernelModules } from '@sundew/kernels';
import kernelsUrl from '@sundew/kernels/assets/sundew-kernels.wasm?url';
import kernelsSharedUrl from '@sundew/kernels/assets/sundew-kernels-shared.wasm?url';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from './run/config.js';
import { fetchFashionMnist } from './run/fashion-mnist.js';
import type { BackendInfo, FromWorker, ToWorker } from './run/protocol.js';
import { TrainingSession } from './run/session.js';

const post = (message: FromWorker) => postMessage(message);
const compile = async (url: string) => WebAssembly.compile(await (await fetch(url)).arrayBuffer());

async function startBackend(): Promise<BackendInfo> {
  const [simd, threaded] = await Promise.all([
    tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') as Promise<boolean>,
    tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') as Promise<boolean>,
  ]);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
  // XNNPACK's pool: one thread per core. The threaded build sizes its pthread
  // pool from hardwareConcurrency / 2 (it assumes two hyper-threads per core)
  // and caps requests there, so it is told of enough cores while it starts
  // (as @sundew/kernels' useThreadedWasm does in Node).
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  if (threaded) {
    setThreadsCount(cores);
    Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * cores, configurable: true });
  }
  const [single, shared] = await Promise.all([compile(kernelsUrl), compile(kernelsSharedUrl)]);
  setKernelModules({ single, shared });
  registerSundewKernels();
  const started = await tf.setBackend('wasm');
  if (threaded) Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores, configurable: true });
  if (!started) throw new Error('tfjs-backend-wasm did not start in this browser');
  const backend = tf.backend() as unknown as {
    wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  };
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  const isShared = typeof SharedArrayBuffer !== 'undefined' && memory?.buffer instanceof SharedArrayBuffer;
  return {
    backend: tf.getBackend(),
    crossOriginIsolated: self.crossOriginIsolated,
    simd,
    threads: getThreadsCount(),
    kernelBuild: isShared ? 'shared' : 'single',
    kernelsActive: kernelsActive(),
    wasmBinary:
      simd && threaded
        ? 'tfjs-backend-wasm-threaded-simd.wasm'
        : simd
          ? 'tfjs-backend-wasm-simd.wasm'
          : 'tfjs-backend-wasm.wasm',
  };
}

const ready = startBackend();
const data = Promise.all([
  fetchFashionMnist('train', { images: trainImagesUrl, labels: trainLabelsUrl }),
  fetchFashionMnist('test', { images: testImagesUrl, labels: testLabelsUrl }),
]);

let session: TrainingSession | null = null;
/** Set from the start message until the run's end (the session is built after awaits). */
let busy = false;
let paused: (() => void) | null = null;
let pauseRequested = false;
let stopRequested = false;

// A zero-delay yield (setTimeout clamps to 4 ms), so pause and stop messages are read between batches.
const channel = new MessageChannel();
const yieldNow = () =>
  new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

async function train(config: RunConfig) {
  const backend = await ready;
  const [trainSet, testSet] = await data;
  const runtime = `browser worker (${navigator.userAgent.match(/(HeadlessChrome|Chrome|Firefox|Safari)\/[\d.]+/)?.[0] ?? 'unknown'})`;
  session = new TrainingSession(
    checkConfigShape(config),
    { train: trainSet, test: testSet },
    {
      backend: backend.backend,
      threads: backend.threads,
      runtime,
    },
  );
  post({
    type: 'started',
    metrics: session.metrics(),
    batchesPerEpoch: session.batchesPerEpoch,
    trainCount: session.trainCount,
  });
  while (session.running && !stopRequested) {
    if (pauseRequested) {
      post({ type: 'paused' });
      await new Promise<void>((resolve) => {
        paused = resolve;
      });
      paused = null;
      if (stopRequested) break;
      post({ type: 'resumed' });
    }
    for (const event of session.step()) post(event);
    await yieldNow();
  }
  const stopped = stopRequested;
  if (stopped) for (const event of session.stop()) post(event);
  const metrics = session.metrics();
  session.dispose();
  session = null;
  post({ type: 'finished', metrics, stopped, tensors: tf.memory().numTensors });
}

/** The page checked the config (checkRunConfig); this only guards the message's shape. */
function checkConfigShape(config: RunConfig): RunConfig {
  if (!config || !Array.isArray(config.runs) || typeof config.budget !== 'object') {
    throw new Error(`start: expected a checked RunConfig; received ${JSON.stringify(config)}`);
  }
  return config;
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      if (busy) return post({ type: 'error', message: 'a run is already going: stop it first' });
      busy = true;
      stopRequested = false;
      pauseRequested = false;
      train(message.config)
        .catch((error: unknown) => {
          session?.dispose();
          session = null;
          post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
        })
        .finally(() => {
          busy = false;
        });
      return;
    case 'pause':
      pauseRequested = true;
      return;
    case 'resume':
      pauseRequested = false;
      paused?.();
      return;
    case 'stop':
      stopRequested = true;
      pauseRequested = false;
      paused?.();
      return;
  }
};

ready.then(
  (backend) => post({ type: 'ready', backend }),
  (error: unknown) =>
    post({ type: 'error', message: `backend: ${error instanceof Error ? error.message : String(error)}` }),
);
