import type { ScoringBatch, SignificanceScorer } from '@sundew/types';
import { checkOption } from './errors.js';
import { requireField, softmaxRow } from './inputs.js';

/** Options of the loss+entropy scorer. */
export interface LossEntropyOptions {
  /** Weight of the loss; the entropy gets 1 − lossWeight. Default 0.7. */
  lossWeight?: number;
}

/**
 * The original library's score (SPEC "Significance scorers"):
 * s = 0.7·l + 0.3·H(softmax(logits)), unbounded. A NaN loss scores 0.
 */
export class LossEntropyScorer implements SignificanceScorer<Record<string, never>> {
  readonly name = 'loss-entropy';
  readonly needs = { forward: true } as const;
  private readonly w: number;

  constructor(options: LossEntropyOptions = {}) {
    this.w = checkOption(this.name, 'lossWeight', options.lossWeight ?? 0.7, 0, 1);
  }

  score(batch: ScoringBatch): Float32Array {
    const losses = requireField(this.name, batch, 'losses');
    const logits = requireField(this.name, batch, 'logits', batch.numClasses);
    const probs = new Float64Array(batch.numClasses);
    return Float32Array.from(losses, (l, i) => {
      const h = softmaxRow(logits, i, batch.numClasses, probs);
      const s = this.w * l + (1 - this.w) * h;
      return Number.isNaN(s) ? 0 : s;
    });
  }

  state(): Record<string, never> {
    return {};
  }

  restore(): void {}
}
