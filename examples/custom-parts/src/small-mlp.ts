import '@tensorflow/tfjs';
import type { ApplyOptions } from '@sundew/types';
import type { Model } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';

let instances = 0;

/** A user's own model, written against `Model` from `@sundew/types`: flatten → dense(ReLU) → dense. */
export class SmallMlp implements Model {
  readonly name = 'small-mlp';
  private readonly vars: Map<string, tf.Variable>;

  constructor(
    readonly inputShape: readonly [number, number, number],
    readonly numClasses: number,
    hidden = 64,
    seed = 0,
  ) {
    const inputs = inputShape[0] * inputShape[1] * inputShape[2];
    const id = ++instances;
    const bound = (fanIn: number) => 1 / Math.sqrt(fanIn);
    this.vars = new Map(
      (
        [
          ['w1', tf.randomUniform([inputs, hidden], -bound(inputs), bound(inputs), 'float32', seed + 1)],
          ['b1', tf.zeros([hidden])],
          ['w2', tf.randomUniform([hidden, numClasses], -bound(hidden), bound(hidden), 'float32', seed + 2)],
          ['b2', tf.zeros([numClasses])],
        ] as const
      ).map(([name, init]) => [name, tf.variable(init, true, `small-mlp-${id}/${name}`)]),
    );
  }

  apply(images: tf.Tensor4D, _options: ApplyOptions): tf.Tensor2D {
    return tf.tidy(() => {
      const x = tf.reshape(images, [images.shape[0], -1]) as tf.Tensor2D;
      const h = tf.relu(tf.add(tf.matMul(x, this.vars.get('w1')!), this.vars.get('b1')!)) as tf.Tensor2D;
      return tf.add(tf.matMul(h, this.vars.get('w2')!), this.vars.get('b2')!) as tf.Tensor2D;
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
