export { type DropoutParams, dropoutMask, dropoutParams } from './dropout-mask.js';
export {
  GradientKernelError,
  registerWasmGradientKernels,
  wasmGradientKernelConfigs,
} from './gradient-kernels.js';
export { type AdamWStep, adamwUpdate, sumOfSquares } from './ops/adamw.js';
export { type AttentionShape, attention, attentionPlain } from './ops/attention.js';
export { columnSum, dense } from './ops/dense.js';
export { addDropout, dropout } from './ops/dropout.js';
export { type GeluKind, geluDropout, geluPlain } from './ops/gelu.js';
export { layerNorm, layerNormPlain } from './ops/layer-norm.js';
export { ThreadedWasmError, useThreadedWasm } from './threaded-wasm.js';
export { KernelNames, kernelsActive, registerSundewKernels } from './wasm-kernels.js';
export { type KernelBuild, setKernelModules } from './wasm-module.js';
