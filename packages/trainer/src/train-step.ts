import { sumOfSquares } from '@sundew/kernels';
import type { Model } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';
import { perSampleCrossEntropy } from './loss.js';

/** Samples for one optimizer step, on the CPU side. */
export interface StepSamples {
  /** n · H · W · C normalised floats. */
  images: Float32Array;
  labels: Int32Array;
  /** Per-sample loss weights (unbiased re-weighting), or null for 1. */
  weights: Float32Array | null;
  n: number;
}

/** What a step computed: per-sample losses, the (weighted) mean loss and the gradients' global norm. */
export interface StepResult {
  losses: Float32Array;
  loss: number;
  gradNorm: number;
  /** Gradients after clipping (owned by the caller until `apply` or dispose). */
  grads: tf.Tensor[];
}

/**
 * Forward + backward on `samples` in micro-batches of at most `microBatch`
 * (gradients summed, so the result equals one big batch), then global-norm
 * clipping. No update is applied: the caller checks finiteness first.
 */
export function computeGradients(
  model: Model,
  samples: StepSamples,
  options: { microBatch: number; clipNorm: number | null; seed: number },
): StepResult {
  const [h, w, c] = model.inputShape;
  const pixels = h * w * c;
  const variables = model.trainableVariables();
  const losses = new Float32Array(samples.n);
  let lossSum = 0;
  let accumulated: tf.Tensor[] | null = null;
  const weightTotal = samples.weights ? samples.weights.reduce((a, b) => a + b, 0) : samples.n;
  for (let start = 0, chunk = 0; start < samples.n; start += options.microBatch, chunk++) {
    const m = Math.min(options.microBatch, samples.n - start);
    const result = tf.tidy(() => {
      const x = tf.tensor4d(samples.images.subarray(start * pixels, (start + m) * pixels), [m, h, w, c]);
      const y = tf.tensor1d(samples.labels.subarray(start, start + m), 'int32');
      const wt = samples.weights ? tf.tensor1d(samples.weights.subarray(start, start + m)) : null;
      let perSample: tf.Tensor1D | null = null;
      const { value, grads } = tf.variableGrads(() => {
        // Kept past variableGrads' own tidy: the step reports these losses to the scorer.
        perSample = tf.keep(
          perSampleCrossEntropy(model.apply(x, { training: true, seed: options.seed * 131 + chunk }), y),
        );
        const weighted = wt ? tf.mul(perSample, wt) : perSample;
        return tf.div(tf.sum(weighted), weightTotal) as tf.Scalar;
      }, variables);
      return { value, grads: variables.map((v) => grads[v.name]!), perSample: perSample! as tf.Tensor1D };
    });
    losses.set(result.perSample.dataSync(), start);
    lossSum += result.value.dataSync()[0]!;
    if (accumulated) {
      const prev: tf.Tensor[] = accumulated;
      accumulated = prev.map((g, i) => tf.add(g, result.grads[i]!));
      tf.dispose([...prev, ...result.grads]);
    } else {
      accumulated = result.grads;
    }
    tf.dispose([result.value, result.perSample]);
  }
  const grads = accumulated ?? [];
  const gradNorm = grads.length > 0 ? Math.sqrt(tf.tidy(() => sumOfSquares(grads).dataSync()[0]!)) : 0;
  if (options.clipNorm !== null && Number.isFinite(gradNorm) && gradNorm > options.clipNorm) {
    const scale = options.clipNorm / (gradNorm + 1e-6);
    const clipped = grads.map((g) => tf.mul(g, scale));
    tf.dispose(grads);
    return { losses, loss: lossSum, gradNorm, grads: clipped };
  }
  return { losses, loss: lossSum, gradNorm, grads };
}
