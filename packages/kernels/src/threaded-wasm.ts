import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: number[]) => number;
  tfjs?: Record<string, (...args: number[]) => number>;
}

/**
 * tfjs-backend-wasm ships its pthread worker as a CommonJS string export;
 * Node's Worker needs a file. Written once per tfjs version under the OS temp
 * folder (atomically: temp name, then rename).
 */
function workerFile(wasmOut: string, version: string): string {
  const { wasmWorkerContents } = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // As tfjs does before making a Blob: the template literal's "\n" escapes must stay escapes.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(os.tmpdir(), 'sundew-tfjs-wasm');
  const file = join(dir, `threaded-simd-${version}-${hash}.worker.cjs`);
  try {
    if (readFileSync(file, 'utf8') === source) return file;
  } catch {
    // not written yet
  }
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, source);
  renameSync(temp, file);
  return file;
}

let registeredThreads = 0;

/** Thrown when the threaded WASM backend cannot start here. */
export class ThreadedWasmError extends Error {
  override readonly name = 'ThreadedWasmError';
}

/**
 * Register tfjs-backend-wasm's multi-threaded SIMD build as the `wasm` backend
 * in Node, where tfjs itself only runs the single-threaded one: XNNPACK's
 * matmuls then use `threads` cores. Call before the backend is first used; the
 * kernels registered for `wasm` (tfjs's and ours) serve it unchanged.
 */
export async function useThreadedWasm(threads: number): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ThreadedWasmError(`threads must be a positive integer; received ${threads}`);
  }
  if (registeredThreads === threads) return;
  registeredThreads = threads;
  const wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
  const root = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  const wasmOut = join(root, 'wasm-out');
  const mainScript = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(mainScript) as (config: object) => Promise<EmscriptenModule>;
  const worker = workerFile(wasmOut, version);
  try {
    tf.removeBackend('wasm'); // the single-threaded factory registered on import
  } catch {
    // none registered yet
  }
  tf.registerBackend(
    'wasm',
    async () => {
      // The build sizes its thread pool from os.cpus().length / 2 (it assumes two
      // hyper-threads per core) and caps requests there; report enough CPUs while it starts.
      const cpus = os.cpus;
      const fake = cpus();
      while (fake.length < 2 * threads) fake.push(fake[0]!);
      os.cpus = () => fake;
      let module: EmscriptenModule;
      try {
        module = await factory({
          locateFile: (path: string) => (path.endsWith('.worker.js') ? worker : join(wasmOut, path)),
          mainScriptUrlOrBlob: mainScript,
        });
      } finally {
        os.cpus = cpus;
      }
      module.tfjs = {
        init: module.cwrap('init', null, []),
        initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: module.cwrap('get_threads_count', 'number', []),
        registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: module.cwrap('dispose_data', null, ['number']),
        dispose: module.cwrap('dispose', null, []),
      };
      wasmPkg.setThreadsCount(threads);
      return new wasmPkg.BackendWasm(module as never);
    },
    2,
  );
}
