import type * as tf from '@tensorflow/tfjs-core';
import { type WasmMemory, wasmApi } from './webassembly.js';

/** The parts of tfjs-backend-wasm's `BackendWasm` the kernels use (structural: no import of the backend). */
export interface WasmBackendLike {
  wasm: { asm?: { memory?: unknown }; wasmMemory?: unknown };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  incRef(dataId: object): void;
  disposeData(dataId: object): boolean;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The exports of csrc/sundew_kernels.c (pointers are byte offsets into the backend's memory). */
export interface SundewWasmExports {
  layer_norm(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    mean: number,
    rstd: number,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  layer_norm_grad(
    dy: number,
    x: number,
    gamma: number,
    mean: number,
    rstd: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    rows: number,
    cols: number,
  ): void;
  gelu_dropout(
    u: number,
    y: number,
    n: number,
    kind: number,
    seed: number,
    threshold: number,
    invKeep: number,
  ): void;
  gelu_dropout_grad(
    dy: number,
    u: number,
    du: number,
    n: number,
    kind: number,
    seed: number,
    threshold: number,
    invKeep: number,
  ): void;
  dropout(x: number, y: number, n: number, seed: number, threshold: number, invKeep: number): void;
  add_dropout(
    x: number,
    b: number,
    y: number,
    n: number,
    seed: number,
    threshold: number,
    invKeep: number,
  ): void;
  column_sum(x: number, out: number, rows: number, cols: number): void;
  attention(
    qkv: number,
    out: number,
    probs: number,
    scratch: number,
    B: number,
    T: number,
    H: number,
    d: number,
    scale: number,
    seed: number,
    threshold: number,
    invKeep: number,
  ): void;
  attention_grad(
    qkv: number,
    probs: number,
    dout: number,
    dqkv: number,
    scratch: number,
    B: number,
    T: number,
    H: number,
    d: number,
    scale: number,
    seed: number,
    threshold: number,
    invKeep: number,
  ): void;
  adamw(
    p: number,
    g: number,
    m: number,
    v: number,
    pOut: number,
    mOut: number,
    vOut: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    decay: number,
    invC1: number,
    invC2: number,
  ): void;
  sum_squares(x: number, n: number): number;
  // csrc/sundew_gradients.c: `geometry` is B, H, W, CI, OH, OW, KH, KW, sh, sw, dh, dw, pt, pl.
  conv2d_backprop_filter(x: number, dy: number, dw: number, ...geometryThenCO: number[]): void;
  transpose_filter(w: number, wt: number, taps: number, CI: number, CO: number): void;
  conv2d_backprop_input(dy: number, wt: number, dx: number, ...geometryThenCO: number[]): void;
  depthwise_backprop_filter(x: number, dy: number, dw: number, ...geometryThenM: number[]): void;
  depthwise_backprop_input(dy: number, filter: number, dx: number, ...geometryThenM: number[]): void;
  max_pool_grad(x: number, dy: number, dx: number, ...geometry: number[]): void;
  avg_pool_grad(dy: number, dx: number, ...geometry: number[]): void;
  gather_rows(
    x: number,
    ids: number,
    out: number,
    batch: number,
    outer: number,
    dim: number,
    slice: number,
    n: number,
  ): number;
  unsorted_segment_sum(
    x: number,
    ids: number,
    out: number,
    rows: number,
    inner: number,
    segments: number,
  ): void;
}

/** The backend's linear memory: exported by the single-threaded build, shared and imported by the threaded one. */
function memoryOf(backend: WasmBackendLike): WasmMemory {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!(memory instanceof wasmApi.Memory)) {
    throw new Error(
      '@sundew/kernels: this tfjs-backend-wasm exposes no WebAssembly.Memory; kernels unavailable',
    );
  }
  return memory;
}

/** The two builds of csrc/sundew_kernels.c: `single` for tfjs's own memory, `shared` for the threaded backend's. */
export type KernelBuild = 'single' | 'shared';

const FILES: Record<KernelBuild, string> = {
  single: 'sundew-kernels.wasm',
  shared: 'sundew-kernels-shared.wasm',
};
const compiled = new Map<KernelBuild, object>();

/**
 * Hand in compiled kernel modules where the package cannot read its own
 * `assets/` (a browser: fetch `assets/sundew-kernels.wasm` and
 * `-shared.wasm`, `WebAssembly.compile` them, pass them here before training).
 * Node reads the files itself.
 */
export function setKernelModules(modules: Partial<Record<KernelBuild, object>>): void {
  for (const build of Object.keys(modules) as KernelBuild[]) {
    const module = modules[build];
    if (!(build in FILES) || !(module instanceof wasmApi.Module)) {
      throw new TypeError(
        `setKernelModules: expected { single?, shared? } of WebAssembly.Module; received ${build}: ${String(module)}`,
      );
    }
    compiled.set(build, module);
  }
}

/** Node's `fs`, reached without a static import so that bundles for a page carry none. */
const nodeFs = (): { readFileSync(url: URL): Uint8Array } | undefined =>
  (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    'node:fs',
  ) as { readFileSync(url: URL): Uint8Array } | undefined;

function moduleFor(shared: boolean): object {
  const build: KernelBuild = shared ? 'shared' : 'single';
  let module = compiled.get(build);
  if (!module) {
    const fs = nodeFs();
    if (!fs) {
      throw new Error(
        `@sundew/kernels: no compiled ${FILES[build]} here; outside Node, fetch and compile it and call setKernelModules({ ${build}: module }) before training`,
      );
    }
    module = new wasmApi.Module(
      fs.readFileSync(new URL(/* @vite-ignore */ `../assets/${FILES[build]}`, import.meta.url)),
    );
    compiled.set(build, module);
  }
  return module;
}

const instances = new WeakMap<object, SundewWasmExports>();

/** The kernels instantiated on this backend's memory (once per backend instance). */
export function kernelsOf(backend: WasmBackendLike): SundewWasmExports {
  let exports = instances.get(backend);
  if (!exports) {
    const memory = memoryOf(backend);
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new wasmApi.Instance(moduleFor(shared), { env: { memory } });
    exports = instance.exports as unknown as SundewWasmExports;
    instances.set(backend, exports);
  }
  return exports;
}

/** Byte offset of a tensor's data in the backend's memory. */
export function pointer(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const entry = backend.dataIdMap.get(t.dataId);
  if (!entry) throw new Error('@sundew/kernels: tensor data not found on the wasm backend (disposed?)');
  return entry.memoryOffset;
}
