import type { Optimizer } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import type { AdamW } from './adamw.js';

/**
 * What the step engine updates variables with: ours (`AdamW`) or any tfjs
 * optimizer (`tfjsStepOptimizer`). Its state goes into checkpoints.
 */
export interface StepOptimizer {
  /** Steps taken. */
  readonly step: number;
  /** One update with `grads` (the variables' order) at learning rate `lr` (a tfjs optimizer keeps its own). */
  apply(grads: tf.Tensor[], lr: number): void;
  /** Named copies of the state tensors (the caller disposes them). */
  saveState(): Promise<Map<string, tf.Tensor>>;
  /** Continue from `saveState()`'s tensors and the step count. */
  restoreState(tensors: Map<string, tf.Tensor>, step: number): Promise<void>;
  /** Whether a checkpoint tensor name belongs to this optimizer. */
  owns(name: string): boolean;
  dispose(): void;
}

/** Our AdamW as a `StepOptimizer`; checkpoint tensors `adamw.m.N`, `adamw.v.N`. */
export function adamWStepOptimizer(adamw: AdamW): StepOptimizer {
  return {
    get step() {
      return adamw.step;
    },
    apply: (grads, lr) => adamw.apply(grads, lr),
    saveState: async () => adamw.moments(),
    restoreState: async (tensors, step) => adamw.restore(tensors, step),
    owns: (name) => name.startsWith('adamw.'),
    dispose: () => adamw.dispose(),
  };
}

const PREFIX = 'optimizer/';
const FIELD = 'optimizer.field/';

/** Scalar variables a tfjs optimizer keeps outside `getWeights` (Adam's β powers, Adamax's iteration). */
const ownVariables = (optimizer: Optimizer): [string, tf.Variable][] =>
  Object.entries(optimizer).filter((e): e is [string, tf.Variable] => e[1] instanceof tf.Variable);

/**
 * Any tfjs optimizer (`tf.train.adam()`, the one a model was compiled with, …)
 * as a `StepOptimizer` over `variables`. It keeps its own learning rate; the
 * trainer's schedule does not touch it. Its weights and private scalars
 * (e.g. Adam's accumulated β powers, which `setWeights` would recompute with
 * rounding) are checkpointed, so a resumed run continues bit-exactly.
 */
export function tfjsStepOptimizer(optimizer: Optimizer, variables: tf.Variable[]): StepOptimizer {
  let step = 0;
  return {
    get step() {
      return step;
    },
    apply(grads) {
      const named: Record<string, tf.Tensor> = {};
      variables.forEach((v, i) => {
        named[v.name] = grads[i]!;
      });
      optimizer.applyGradients(named);
      step++;
    },
    async saveState() {
      const out = new Map<string, tf.Tensor>();
      const weights = await optimizer.getWeights();
      // Entry 0 is the iteration count, a fresh scalar; the others are the optimizer's own variables.
      weights.forEach((w, i) => out.set(`${PREFIX}${i}`, i === 0 ? w.tensor : tf.clone(w.tensor)));
      for (const [key, v] of ownVariables(optimizer)) out.set(`${FIELD}${key}`, tf.clone(v));
      return out;
    },
    async restoreState(tensors, restoredStep) {
      const list: { name: string; tensor: tf.Tensor }[] = [];
      for (let i = 0; tensors.has(`${PREFIX}${i}`); i++) {
        list.push({ name: i === 0 ? 'iter' : `w${i}`, tensor: tensors.get(`${PREFIX}${i}`)! });
      }
      if (list.length > 0) await optimizer.setWeights(list);
      for (const [key, v] of ownVariables(optimizer)) {
        const t = tensors.get(`${FIELD}${key}`);
        if (t) tf.tidy(() => v.assign(t.dtype === v.dtype ? t : tf.cast(t, v.dtype)));
      }
      step = restoredStep;
    },
    owns: (name) => name.startsWith(PREFIX) || name.startsWith(FIELD),
    // The optimizer belongs to the caller (it may be the model's own).
    dispose: () => {},
  };
}
