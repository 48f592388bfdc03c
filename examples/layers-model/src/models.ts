import * as tf from '@tensorflow/tfjs';

/** A seeded glorot initializer (each layer its own seed, so a model is the same every time). */
const init = (seed: number) => tf.initializers.glorotUniform({ seed });

/** A two-hidden-layer MLP (256 units each), softmax output (no dropout: fit and fitSparse then take the very same steps). */
export function mlp(features: number, classes: number, seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [features],
        units: 64,
        activation: 'relu',
        kernelInitializer: init(seed),
      }),
      tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init(seed + 2) }),
      tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: init(seed + 3) }),
    ],
  });
}

/** A small Fashion-MNIST CNN: two conv + max-pool blocks, a dense softmax head. */
export function cnn(seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(seed),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(seed + 1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(seed + 2) }),
    ],
  });
}
