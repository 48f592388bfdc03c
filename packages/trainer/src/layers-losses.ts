import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-sample losses as `tf.LayersModel.fit` computes them (tfjs-layers'
 * `losses.ts`, reproduced op for op so a full-mode run matches `fit`), plus
 * their stable from-logits forms. Each returns [B].
 */
const eps = (): number => tf.backend().epsilon();

/** Categorical cross-entropy of softmax outputs against one-hot rows (fit's `categoricalCrossentropy`). */
export function categoricalCrossentropyOfProbabilities(target: tf.Tensor, output: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const last = output.shape.length - 1;
    let p = tf.div(output, tf.sum(output, last, true));
    p = tf.clipByValue(p, eps(), 1 - eps());
    return tf.neg(tf.sum(tf.mul(tf.cast(target, 'float32'), tf.log(p)), last)) as tf.Tensor1D;
  });
}

/** Sparse categorical cross-entropy of softmax outputs against integer labels (fit's `sparseCategoricalCrossentropy`). */
export function sparseCrossentropyOfProbabilities(target: tf.Tensor, output: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = tf.cast(tf.floor(tf.cast(tf.reshape(target, [-1]), 'float32')), 'int32');
    const clipped = tf.clipByValue(output, eps(), 1 - eps());
    const oneHot = tf.reshape(tf.oneHot(flat, output.shape[output.shape.length - 1]!), output.shape);
    return categoricalCrossentropyOfProbabilities(oneHot, clipped);
  });
}

/** −Σ y · log_softmax(z): cross-entropy of logits against one-hot (or soft) rows. */
export function categoricalCrossentropyOfLogits(target: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  return tf.tidy(
    () => tf.neg(tf.sum(tf.mul(tf.cast(target, 'float32'), tf.logSoftmax(logits)), -1)) as tf.Tensor1D,
  );
}

/** max(z, 0) − z·y + log(1 + e^−|z|), averaged over the last axis. */
export function binaryCrossentropyOfLogits(target: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const y = tf.cast(target, 'float32');
    const loss = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(loss, -1) as tf.Tensor1D;
  });
}

/** Binary cross-entropy of sigmoid outputs (fit's `binaryCrossentropy`: clipped, through the logit). */
export function binaryCrossentropyOfProbabilities(target: tf.Tensor, output: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const p = tf.clipByValue(output, eps(), 1 - eps());
    return binaryCrossentropyOfLogits(target, tf.log(tf.div(p, tf.sub(1, p))));
  });
}

/** Mean squared error over the last axis (fit's `meanSquaredError`). */
export function meanSquaredErrorPerSample(target: tf.Tensor, output: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(output, target)), -1) as tf.Tensor1D);
}

/** Mean over every axis but the first: [B, ...] → [B]. */
export function perSampleMean(t: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => (t.rank === 1 ? t : tf.mean(tf.reshape(t, [t.shape[0]!, -1]), 1)) as tf.Tensor1D);
}
