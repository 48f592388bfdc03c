// Messages between the page and its training worker.
import type { RunMetrics } from '@sundew/types';
import type { RunConfig } from './config.js';
import type { SessionEvent } from './session.js';

/** The page asks. */
export type ToWorker =
  | { type: 'start'; config: RunConfig }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

/** How the worker computes: what the test checks (threads, SIMD, which kernel build). */
export interface BackendInfo {
  backend: string;
  crossOriginIsolated: boolean;
  simd: boolean;
  /** XNNPACK's thread pool (1: the single-threaded build). */
  threads: number;
  /** `shared`: the kernels built for the threaded backend's shared memory; `single` otherwise. */
  kernelBuild: 'single' | 'shared';
  kernelsActive: boolean;
  /** The tfjs-backend-wasm binary the worker loaded. */
  wasmBinary: string;
}

/** The worker tells. */
export type FromWorker =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'started'; metrics: RunMetrics[]; batchesPerEpoch: number; trainCount: number }
  | SessionEvent
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'finished'; metrics: RunMetrics[]; stopped: boolean; tensors: number }
  | { type: 'error'; message: string };
