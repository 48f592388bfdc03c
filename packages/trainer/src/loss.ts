import * as tf from '@tensorflow/tfjs-core';

/** Per-sample cross-entropy [N] of logits [N, C] against integer labels, with a stable log-softmax. */
export function perSampleCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1)) as tf.Tensor1D;
  });
}
