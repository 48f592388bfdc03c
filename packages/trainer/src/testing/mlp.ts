import '@tensorflow/tfjs';
import type { ApplyOptions } from '@sundew/types';
import type { Model } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';

let made = 0;

/** A two-layer perceptron implementing `Model`: the smallest model the trainer tests use. */
export class TinyMlp implements Model {
  readonly name = 'tiny-mlp';
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Batch sizes `apply` was called with while training (a spy for tests). */
  readonly trainingBatchSizes: number[] = [];
  private readonly vars: Map<string, tf.Variable>;

  constructor(inputShape: readonly [number, number, number], numClasses: number, hidden = 16, seed = 0) {
    this.inputShape = inputShape;
    this.numClasses = numClasses;
    const inputs = inputShape[0] * inputShape[1] * inputShape[2];
    const id = ++made;
    // The initial values are disposed once copied into their variables.
    const v = (name: string, init: () => tf.Tensor) =>
      [name, tf.tidy(() => tf.variable(init(), true, `mlp${id}/${name}`))] as const;
    this.vars = new Map([
      v('w1', () => tf.randomUniform([inputs, hidden], -0.3, 0.3, 'float32', seed + 1)),
      v('b1', () => tf.zeros([hidden])),
      v('w2', () => tf.randomUniform([hidden, numClasses], -0.3, 0.3, 'float32', seed + 2)),
      v('b2', () => tf.zeros([numClasses])),
    ]);
  }

  apply(images: tf.Tensor4D, options: ApplyOptions): tf.Tensor2D {
    if (options.training) this.trainingBatchSizes.push(images.shape[0]);
    return tf.tidy(() => {
      const x = tf.reshape(images, [images.shape[0], -1]) as tf.Tensor2D;
      const hidden = tf.relu(tf.add(tf.matMul(x, this.vars.get('w1')!), this.vars.get('b1')!)) as tf.Tensor2D;
      return tf.add(tf.matMul(hidden, this.vars.get('w2')!), this.vars.get('b2')!) as tf.Tensor2D;
    });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  parameterCount(): number {
    return this.trainableVariables().reduce((n, v) => n + v.size, 0);
  }

  getWeights(): Map<string, tf.Tensor> {
    return new Map([...this.vars].map(([k, v]) => [k, tf.clone(v)]));
  }

  setWeights(weights: Map<string, tf.Tensor>): void {
    for (const [k, v] of this.vars) v.assign(weights.get(k)!);
  }

  dispose(): void {
    tf.dispose([...this.vars.values()]);
  }
}
