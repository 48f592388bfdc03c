import { sumOfSquares } from '@sundew/kernels';
import type { SampleValues } from '@sundew/types';
import type { LossModel } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';

/** Samples for one optimizer step, on the CPU side. */
export interface StepSamples {
  /** n · prod(xShape) inputs (normalised floats for images; int32 for token ids). */
  x: SampleValues;
  xShape: readonly number[];
  /** n · prod(yShape) targets. */
  y: SampleValues;
  yShape: readonly number[];
  /** Per-sample loss weights (unbiased re-weighting), or null for 1. */
  weights: Float32Array | null;
  n: number;
}

/** What a step computed: per-sample losses, the (weighted) mean loss and the gradients' global norm. */
export interface StepResult {
  /** Per-sample losses of the training forward; null when not asked for (`withLosses: false`). */
  losses: Float32Array | null;
  loss: number;
  gradNorm: number;
  /** Gradients after clipping (owned by the caller until `apply` or dispose). */
  grads: tf.Tensor[];
  /** Logits [n, K] of the training forward, when asked for (`withLogits`). */
  logits?: Float32Array;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A [m, ...shape] tensor of rows start..start+m of `values`. */
export function rowsTensor(
  values: SampleValues,
  shape: readonly number[],
  start: number,
  m: number,
): tf.Tensor {
  const row = size(shape);
  const dtype = values instanceof Int32Array ? 'int32' : 'float32';
  return tf.tensor(values.subarray(start * row, (start + m) * row), [m, ...shape], dtype);
}

/**
 * Forward + backward on `samples` in micro-batches of at most `microBatch`
 * (gradients summed, so the result equals one big batch), then global-norm
 * clipping. The loss is the (weighted) mean per-sample loss plus the model's
 * regularization, added once. No update is applied: the caller checks
 * finiteness first.
 */
export function computeGradients(
  model: LossModel,
  samples: StepSamples,
  options: {
    microBatch: number;
    clipNorm: number | null;
    seed: number;
    withLogits?: boolean;
    /** Read the per-sample losses back (default true); false skips that readback (nobody observes them). */
    withLosses?: boolean;
  },
): StepResult {
  const variables = model.trainableVariables();
  const losses = (options.withLosses ?? true) ? new Float32Array(samples.n) : null;
  const logits = options.withLogits ? new Float32Array(samples.n * model.numClasses) : undefined;
  let lossSum = 0;
  let accumulated: tf.Tensor[] | null = null;
  const weightTotal = samples.weights ? samples.weights.reduce((a, b) => a + b, 0) : samples.n;
  for (let start = 0, chunk = 0; start < samples.n; start += options.microBatch, chunk++) {
    const m = Math.min(options.microBatch, samples.n - start);
    const result = tf.tidy(() => {
      const x = rowsTensor(samples.x, samples.xShape, start, m);
      const y = rowsTensor(samples.y, samples.yShape, start, m);
      const wt = samples.weights ? tf.tensor1d(samples.weights.subarray(start, start + m)) : null;
      let perSample: tf.Tensor1D | null = null;
      let z: tf.Tensor2D | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const out = model.forward(x, y, { training: true, seed: options.seed * 131 + chunk });
        perSample = out.losses;
        // Kept past variableGrads' own tidy: the step reports these losses to the scorer.
        if (losses) tf.keep(perSample);
        if (logits) z = tf.keep(out.logits);
        const weighted = wt ? tf.mul(perSample, wt) : perSample;
        const mean = tf.div(tf.sum(weighted), weightTotal) as tf.Scalar;
        const penalty = chunk === 0 ? (model.regularizationLoss?.() ?? null) : null;
        return penalty ? (tf.add(mean, penalty) as tf.Scalar) : mean;
      }, variables);
      return {
        value,
        grads: variables.map((v) => grads[v.name]!),
        perSample: losses ? [perSample! as tf.Tensor1D] : [],
        z: z ? [z as tf.Tensor2D] : [],
      };
    });
    if (losses && result.perSample[0]) losses.set(result.perSample[0].dataSync(), start);
    if (logits && result.z[0]) logits.set(result.z[0].dataSync(), start * model.numClasses);
    lossSum += result.value.dataSync()[0]!;
    if (accumulated) {
      const prev: tf.Tensor[] = accumulated;
      accumulated = prev.map((g, i) => tf.add(g, result.grads[i]!));
      tf.dispose([...prev, ...result.grads]);
    } else {
      accumulated = result.grads;
    }
    tf.dispose([result.value, ...result.perSample, ...result.z]);
  }
  const grads = accumulated ?? [];
  const gradNorm = grads.length > 0 ? Math.sqrt(tf.tidy(() => sumOfSquares(grads).dataSync()[0]!)) : 0;
  const extra = logits ? { logits } : {};
  if (options.clipNorm !== null && Number.isFinite(gradNorm) && gradNorm > options.clipNorm) {
    const scale = options.clipNorm / (gradNorm + 1e-6);
    const clipped = grads.map((g) => tf.mul(g, scale));
    tf.dispose(grads);
    return { losses, loss: lossSum, gradNorm, grads: clipped, ...extra };
  }
  return { losses, loss: lossSum, gradNorm, grads, ...extra };
}
