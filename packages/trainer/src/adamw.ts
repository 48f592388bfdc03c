import { adamwUpdate } from '@sundew/kernels';
import * as tf from '@tensorflow/tfjs-core';

/** AdamW settings (decoupled weight decay, Loshchilov & Hutter). */
export interface AdamWOptions {
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * AdamW on tfjs-core variables (tfjs has none): p ← p·(1 − lr·wd), then the
 * bias-corrected Adam step, as PyTorch's `torch.optim.AdamW`.
 */
export class AdamW {
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Steps taken. */
  step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly variables: tf.Variable[],
    options: AdamWOptions = {},
  ) {
    this.weightDecay = options.weightDecay ?? 0.01;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    // tidy disposes the zeros each variable is made from (variables themselves survive it).
    const zeros = (x: tf.Variable) => tf.tidy(() => tf.variable(tf.zerosLike(x), false));
    this.m = variables.map(zeros);
    this.v = variables.map(zeros);
  }

  /** One update with `grads` (same order as the variables) at learning rate `lr`. */
  apply(grads: tf.Tensor[], lr: number): void {
    this.step += 1;
    const step = {
      lr,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
      step: this.step,
    };
    tf.tidy(() => {
      this.variables.forEach((p, i) => {
        const [p2, m2, v2] = adamwUpdate(p, grads[i]!, this.m[i]!, this.v[i]!, step);
        this.m[i]!.assign(m2);
        this.v[i]!.assign(v2);
        p.assign(p2);
      });
    });
  }

  /** Moments by variable index, for checkpoints (copies the caller disposes). */
  moments(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    this.m.forEach((t, i) => out.set(`adamw.m.${i}`, tf.clone(t)));
    this.v.forEach((t, i) => out.set(`adamw.v.${i}`, tf.clone(t)));
    return out;
  }

  /** Restore moments and the step count saved by `moments()`. */
  restore(moments: Map<string, tf.Tensor>, step: number): void {
    this.m.forEach((t, i) => t.assign(moments.get(`adamw.m.${i}`)!));
    this.v.forEach((t, i) => t.assign(moments.get(`adamw.v.${i}`)!));
    this.step = step;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
