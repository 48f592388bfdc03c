import type { ScoringBatch, SignificanceScorer } from '@sundew/types';
import { requireField, softmaxRow } from './inputs.js';

/**
 * ‖softmax(logits) − onehot(label)‖₂: the norm of the cross-entropy gradient
 * with respect to the logits, a per-sample proxy of the last layer's gradient
 * norm. In [0, √2]. Non-finite logits score 0.
 */
export class GradientNormScorer implements SignificanceScorer<Record<string, never>> {
  readonly name = 'gradient-norm';
  readonly needs = { forward: true } as const;

  score(batch: ScoringBatch): Float32Array {
    const logits = requireField(this.name, batch, 'logits', batch.numClasses);
    const probs = new Float64Array(batch.numClasses);
    return Float32Array.from(batch.labels, (label, i) => {
      softmaxRow(logits, i, batch.numClasses, probs);
      let sq = 0;
      for (let c = 0; c < batch.numClasses; c++) sq += (probs[c]! - (c === label ? 1 : 0)) ** 2;
      return Number.isFinite(sq) ? Math.sqrt(sq) : 0;
    });
  }

  state(): Record<string, never> {
    return {};
  }

  restore(): void {}
}
