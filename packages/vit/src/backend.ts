import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerSundewKernels, useThreadedWasm } from '@sundew/kernels';
import * as tf from '@tensorflow/tfjs-core';

/** Backends `selectBackend` knows. */
export const backendChoices = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const;
export type BackendChoice = (typeof backendChoices)[number];

/** The asked-for backend cannot be used here; the message says how to get it. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

/** Options of `selectBackend`. */
export interface BackendOptions {
  /**
   * Threads of the WASM backend (default 1). Above 1, tfjs-backend-wasm's
   * multi-threaded build runs XNNPACK's matmuls on that many cores.
   */
  threads?: number;
}

/** What `selectBackend` did. */
export interface BackendSelection {
  /** What was asked for. */
  requested: BackendChoice;
  /** tfjs's name of the backend now active (`wasm`, `cpu`, `tensorflow`). */
  name: string;
  /** Why this one. */
  reason: string;
  /** Threads the WASM backend runs (1 for other backends). */
  threads: number;
}

const NODE_PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const;

async function tryNode(kind: 'tensorflow' | 'tensorflow-gpu'): Promise<boolean> {
  try {
    // Optional peers: loaded only when installed (their install needs libtensorflow from outside npm).
    await import(/* @vite-ignore */ NODE_PACKAGES[kind]);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(threads: number): Promise<boolean> {
  try {
    registerSundewKernels();
    if (threads > 1) await useThreadedWasm(threads);
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(
      `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`,
    );
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

function wasmThreads(): number {
  const backend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
  return backend.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}

async function tryCpu(): Promise<boolean> {
  await import('@tensorflow/tfjs-backend-cpu');
  return tf.setBackend('cpu');
}

/**
 * Make a tfjs backend active. `auto`: tfjs-node-gpu, then tfjs-node when
 * installed, else WASM, else the pure-JS CPU backend. Asking for a node backend
 * that is not installed throws `BackendUnavailableError` with the install command.
 */
export async function selectBackend(
  requested: BackendChoice = 'auto',
  options: BackendOptions = {},
): Promise<BackendSelection> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new BackendUnavailableError(`threads must be a positive integer; received ${threads}`);
  }
  if (!(backendChoices as readonly string[]).includes(requested)) {
    throw new BackendUnavailableError(
      `unknown backend "${requested}"; choose one of ${backendChoices.join(', ')}`,
    );
  }
  // tfjs's "install tfjs-node" banner is noise for a library that already chose.
  tf.env().set('PROD', true);
  const done = async (reason: string): Promise<BackendSelection> => {
    await tf.ready();
    const name = tf.getBackend();
    return { requested, name, reason, threads: name === 'wasm' ? wasmThreads() : 1 };
  };
  if (requested === 'tensorflow' || requested === 'tensorflow-gpu') {
    if (await tryNode(requested)) return done(`${NODE_PACKAGES[requested]} is installed`);
    throw new BackendUnavailableError(
      `backend "${requested}" needs ${NODE_PACKAGES[requested]}, which is not installed: ` +
        `npm install ${NODE_PACKAGES[requested]} (it downloads libtensorflow at install time), or use --backend wasm`,
    );
  }
  if (requested === 'auto') {
    if (await tryNode('tensorflow-gpu')) return done('auto: @tensorflow/tfjs-node-gpu is installed');
    if (await tryNode('tensorflow')) return done('auto: @tensorflow/tfjs-node is installed');
    if (await tryWasm(threads))
      return done('auto: no tfjs-node installed; WASM is the fastest backend available');
    if (await tryCpu()) return done('auto: WASM failed to start; using the pure-JS CPU backend');
  }
  if (requested === 'wasm') {
    if (await tryWasm(threads)) return done('asked for wasm');
    throw new BackendUnavailableError(
      'backend "wasm" failed to start: is @tensorflow/tfjs-backend-wasm installed?',
    );
  }
  if (await tryCpu()) return done('asked for cpu');
  throw new BackendUnavailableError('no tfjs backend could be started');
}
