import * as tf from '@tensorflow/tfjs-core';
import type { DropoutParams } from './dropout-mask.js';
import { registerWasmGradientKernels } from './gradient-kernels.js';
import { reassertOnSetup, registerOver } from './kernel-registry.js';
import { kernelsOf, pointer, type WasmBackendLike } from './wasm-module.js';

/** Kernel names, one per fused op (as tfjs's kernel_names.ts). */
export const KernelNames = {
  layerNorm: 'SundewLayerNorm',
  layerNormGrad: 'SundewLayerNormGrad',
  geluDropout: 'SundewGeluDropout',
  geluDropoutGrad: 'SundewGeluDropoutGrad',
  dropout: 'SundewDropout',
  addDropout: 'SundewAddDropout',
  columnSum: 'SundewColumnSum',
  attention: 'SundewAttention',
  attentionGrad: 'SundewAttentionGrad',
  adamw: 'SundewAdamW',
  sumSquares: 'SundewSumSquares',
} as const;

/** Attributes of the attention kernels. */
export interface AttentionAttrs extends DropoutParams {
  batch: number;
  tokens: number;
  heads: number;
  headDim: number;
  scale: number;
}

/** Attributes of the AdamW kernel: the step's scalars. */
export interface AdamWAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − lr·weightDecay. */
  decay: number;
  /** 1 / (1 − beta1^t), 1 / (1 − beta2^t). */
  invC1: number;
  invC2: number;
}

type Inputs = Record<string, tf.TensorInfo>;
type Attrs = Record<string, unknown>;
type Run = (
  k: ReturnType<typeof kernelsOf>,
  ptr: (t: tf.TensorInfo) => number,
  out: Out,
  backend: WasmBackendLike,
) => tf.TensorInfo | tf.TensorInfo[];
type Out = (shape: number[]) => tf.TensorInfo;

/** A kernel function that allocates float32 outputs on the wasm backend and calls into the module. */
function wasmKernel(kernelName: string, run: (inputs: Inputs, attrs: Attrs) => Run): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      for (const [name, t] of Object.entries(inputs)) {
        if (t && t.dtype !== 'float32') {
          throw new Error(`${kernelName}: input "${name}" must be float32; received ${t.dtype}`);
        }
      }
      const b = backend as unknown as WasmBackendLike;
      const ptr = (t: tf.TensorInfo) => pointer(b, t);
      const out: Out = (shape) => b.makeOutput(shape, 'float32');
      return run(inputs as Inputs, (attrs ?? {}) as Attrs)(kernelsOf(b), ptr, out, b);
    },
  };
}

const size = (t: tf.TensorInfo) => t.shape.reduce((a, b) => a * b, 1);
const rowsCols = (t: tf.TensorInfo): [number, number] => {
  const cols = t.shape[t.shape.length - 1] ?? 1;
  return [size(t) / cols, cols];
};
const dropoutArgs = (a: Attrs) =>
  [a['seed'] as number, a['threshold'] as number, a['invKeep'] as number] as const;

/** Every fused kernel, for `registerSundewKernels`. */
export const wasmKernelConfigs: tf.KernelConfig[] = [
  wasmKernel(KernelNames.layerNorm, ({ x, gamma, beta }, a) => (k, ptr, out) => {
    const [rows, cols] = rowsCols(x!);
    const y = out(x!.shape);
    const mean = out([rows]);
    const rstd = out([rows]);
    k.layer_norm(
      ptr(x!),
      ptr(gamma!),
      ptr(beta!),
      ptr(y),
      ptr(mean),
      ptr(rstd),
      rows,
      cols,
      a['epsilon'] as number,
    );
    return [y, mean, rstd];
  }),
  wasmKernel(KernelNames.layerNormGrad, ({ dy, x, gamma, mean, rstd }) => (k, ptr, out) => {
    const [rows, cols] = rowsCols(x!);
    const dx = out(x!.shape);
    const dgamma = out([cols]);
    const dbeta = out([cols]);
    k.layer_norm_grad(
      ptr(dy!),
      ptr(x!),
      ptr(gamma!),
      ptr(mean!),
      ptr(rstd!),
      ptr(dx),
      ptr(dgamma),
      ptr(dbeta),
      rows,
      cols,
    );
    return [dx, dgamma, dbeta];
  }),
  wasmKernel(KernelNames.geluDropout, ({ x }, a) => (k, ptr, out) => {
    const y = out(x!.shape);
    k.gelu_dropout(ptr(x!), ptr(y), size(x!), a['kind'] as number, ...dropoutArgs(a));
    return y;
  }),
  wasmKernel(KernelNames.geluDropoutGrad, ({ dy, x }, a) => (k, ptr, out) => {
    const dx = out(x!.shape);
    k.gelu_dropout_grad(ptr(dy!), ptr(x!), ptr(dx), size(x!), a['kind'] as number, ...dropoutArgs(a));
    return dx;
  }),
  wasmKernel(KernelNames.dropout, ({ x }, a) => (k, ptr, out) => {
    const y = out(x!.shape);
    k.dropout(ptr(x!), ptr(y), size(x!), ...dropoutArgs(a));
    return y;
  }),
  wasmKernel(KernelNames.addDropout, ({ x, b }, a) => (k, ptr, out) => {
    const y = out(x!.shape);
    k.add_dropout(ptr(x!), ptr(b!), ptr(y), size(x!), ...dropoutArgs(a));
    return y;
  }),
  wasmKernel(KernelNames.columnSum, ({ x }) => (k, ptr, out) => {
    const [rows, cols] = rowsCols(x!);
    const y = out([cols]);
    k.column_sum(ptr(x!), ptr(y), rows, cols);
    return y;
  }),
  wasmKernel(KernelNames.attention, ({ qkv }, a) => (k, ptr, out, backend) => {
    const { batch: B, tokens: T, heads: H, headDim: d, scale } = a as unknown as AttentionAttrs;
    const y = out([B * T, H * d]);
    const probs = out([B, H, T, T]);
    const scratch = out([(d + 1) * T]);
    k.attention(ptr(qkv!), ptr(y), ptr(probs), ptr(scratch), B, T, H, d, scale, ...dropoutArgs(a));
    backend.disposeData(scratch.dataId);
    return [y, probs];
  }),
  wasmKernel(KernelNames.attentionGrad, ({ qkv, probs, dy }, a) => (k, ptr, out, backend) => {
    const { batch: B, tokens: T, heads: H, headDim: d, scale } = a as unknown as AttentionAttrs;
    const dqkv = out(qkv!.shape);
    const scratch = out([(d + 1) * T]);
    k.attention_grad(
      ptr(qkv!),
      ptr(probs!),
      ptr(dy!),
      ptr(dqkv),
      ptr(scratch),
      B,
      T,
      H,
      d,
      scale,
      ...dropoutArgs(a),
    );
    backend.disposeData(scratch.dataId);
    return dqkv;
  }),
  wasmKernel(KernelNames.adamw, ({ p, g, m, v }, a) => (k, ptr, out) => {
    const s = a as unknown as AdamWAttrs;
    const [p2, m2, v2] = [out(p!.shape), out(p!.shape), out(p!.shape)];
    k.adamw(
      ptr(p!),
      ptr(g!),
      ptr(m!),
      ptr(v!),
      ptr(p2),
      ptr(m2),
      ptr(v2),
      size(p!),
      s.lr,
      s.beta1,
      s.beta2,
      s.epsilon,
      s.decay,
      s.invC1,
      s.invC2,
    );
    return [p2, m2, v2];
  }),
  wasmKernel(KernelNames.sumSquares, (inputs) => (k, ptr, out, backend) => {
    let total = 0;
    for (const t of Object.values(inputs)) total += k.sum_squares(ptr(t), size(t));
    const y = out([]);
    backend.typedArrayFromHeap(y)[0] = total;
    return y;
  }),
];

/**
 * tfjs-backend-wasm's Identity copies the tensor; the tape calls it for every
 * tensor it saves for the backward pass. Sharing the data by reference count
 * (as tfjs's CPU backend does) is equivalent — tensors are immutable.
 */
export const sharedIdentityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs['x'] as tf.TensorInfo;
    (backend as unknown as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

const FLAG = 'SUNDEW_KERNELS';
let registered = false;

/**
 * Register the fused kernels for tfjs-backend-wasm (idempotent). The ops of
 * this package use them whenever the active backend is `wasm`; elsewhere they
 * run the same computation with plain tfjs ops. Also registers the gradient
 * kernels tfjs-backend-wasm lacks (`registerWasmGradientKernels`), so
 * `model.fit` of tf.layers models trains on `wasm`.
 */
export function registerSundewKernels(options: { sharedIdentity?: boolean } = {}): void {
  if (!registered) tf.env().registerFlag(FLAG, () => true);
  registered = true;
  registerWasmGradientKernels();
  for (const config of wasmKernelConfigs) {
    if (!tf.getKernel(config.kernelName, 'wasm')) tf.registerKernel(config);
  }
  if (options.sharedIdentity ?? true) {
    registerSharedIdentity();
    reassertOnSetup(registerSharedIdentity);
  }
}

const registerSharedIdentity = () => registerOver(sharedIdentityConfig);

/**
 * True when the ops run the fused kernels: they are registered, the active
 * backend is `wasm`, and the tfjs flag `SUNDEW_KERNELS` is not set to false
 * (`tf.env().set('SUNDEW_KERNELS', false)` runs the plain tfjs ops instead).
 */
export function kernelsActive(): boolean {
  return registered && tf.getBackend() === 'wasm' && tf.env().getBool(FLAG);
}
