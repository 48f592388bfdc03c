import * as tf from '@tensorflow/tfjs-core';

/** Run a registered kernel by name (tfjs's engine entry point for custom kernels). */
export function runKernel<T extends tf.Tensor | tf.Tensor[]>(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: object = {},
): T {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as T;
}

type Grads = tf.Tensor | tf.Tensor[];

/**
 * `tf.customGrad` with typed inputs: `forward(inputs, save)` returns the value
 * and the gradient function of the saved tensors.
 */
export function withGradient<I extends tf.Tensor[], O extends tf.Tensor>(
  forward: (inputs: I, save: tf.GradSaveFunc) => { value: O; gradFunc: (dy: O, saved: tf.Tensor[]) => Grads },
): (...inputs: I) => O {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    return forward(args.slice(0, -1) as I, save);
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (...inputs: I) => f(...inputs) as O;
}
