import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The backend a task asked for and the one it got, with why. */
export interface BackendChoice {
  name: string;
  reason: string;
}

/**
 * `wasm` when the model can train there, else `cpu`. Dense layers train on
 * tfjs-backend-wasm as it is; convolutions need gradient kernels it lacks
 * (Conv2DBackpropFilter, …): those come from `@sundew/kernels`'
 * `registerWasmGradientKernels` when that export exists.
 */
export async function chooseBackend(requested: string, needsConvGradients: boolean): Promise<BackendChoice> {
  const kernels = (await import('@sundew/kernels')) as Record<string, unknown>;
  const register = kernels.registerWasmGradientKernels as (() => void) | undefined;
  let wasmOk = !needsConvGradients || typeof register === 'function';
  let reason = needsConvGradients
    ? register
      ? 'wasm with @sundew/kernels gradient kernels'
      : 'cpu: @sundew/kernels has no registerWasmGradientKernels yet (tfjs-backend-wasm cannot train convolutions)'
    : 'wasm (dense layers train there)';
  if (requested === 'cpu' || (requested === 'auto' && !wasmOk)) {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    return { name: 'cpu', reason: requested === 'cpu' ? 'asked for cpu' : reason };
  }
  if (requested === 'wasm' && !wasmOk) {
    reason = 'wasm asked for, without gradient kernels for convolutions: model.fit will fail';
    wasmOk = true;
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(
    `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`,
  );
  await tf.setBackend('wasm');
  if (needsConvGradients && register) register();
  return { name: tf.getBackend(), reason };
}
