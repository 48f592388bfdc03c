import * as tf from '@tensorflow/tfjs-core';

// tfjs's kernel registry keeps the last registration of a name: if
// tfjs-backend-wasm is imported after our kernels are registered (a dynamic
// import, as @sundew/vit's selectBackend does), its own MaxPoolGrad,
// Conv2DBackpropInput and Identity silently replace ours. So every
// replacement is re-asserted when a wasm backend is set up (tfjs calls each
// registered kernel's setupFunc then), through one guard kernel of our own.

const ours = new WeakSet<tf.KernelConfig>();
const reasserts = new Set<() => void>();
const GUARD = 'SundewRegistrationGuard';

/**
 * Register `config` for wasm in place of the kernel registered under its
 * name (unless that is already ours); `wrap` builds the registration from the
 * one it replaces (to delegate to it).
 */
export function registerOver(
  config: tf.KernelConfig,
  wrap?: (replaced: tf.KernelConfig) => tf.KernelConfig,
): void {
  const current = tf.getKernel(config.kernelName, 'wasm');
  if (current && ours.has(current)) return;
  if (current) tf.unregisterKernel(config.kernelName, 'wasm');
  const mine = current && wrap ? wrap(current) : config;
  ours.add(mine);
  tf.registerKernel(mine);
}

/** Run `reassert` (a function of `registerOver` calls) again whenever a wasm backend is set up. */
export function reassertOnSetup(reassert: () => void): void {
  reasserts.add(reassert);
  if (tf.getKernel(GUARD, 'wasm')) return;
  tf.registerKernel({
    kernelName: GUARD,
    backendName: 'wasm',
    kernelFunc: () => {
      throw new Error(
        `${GUARD} is not a kernel to run: it re-registers @sundew/kernels when tfjs sets up the wasm backend`,
      );
    },
    setupFunc: () => {
      for (const f of reasserts) f();
    },
  });
}
