import type { ScoringBatch, SignificanceScorer } from '@sundew/types';
import { checkOption } from './errors.js';
import { finiteMean, requireField } from './inputs.js';

/** Options of the batch-relative scorer. */
export interface BatchRelativeOptions {
  /** Weight of the relative loss; the pixel-spread term gets 1 − lossWeight. Default 0.7. */
  lossWeight?: number;
}

const clip = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * The original standalone script's score (SPEC "Significance scorers"):
 * s = w·clip(l/(mean l + 1e-6), 0, 2)/2 + (1 − w)·clip(d/(mean d + 1e-6), 0, 2)/2, in [0, 1],
 * with l the per-sample loss and d the per-sample pixel standard deviation.
 * A NaN loss or spread contributes 0 to its term.
 */
export class BatchRelativeScorer implements SignificanceScorer<Record<string, never>> {
  readonly name = 'batch-relative';
  readonly needs = { forward: true, inputStd: true } as const;
  private readonly w: number;

  constructor(options: BatchRelativeOptions = {}) {
    this.w = checkOption(this.name, 'lossWeight', options.lossWeight ?? 0.7, 0, 1);
  }

  score(batch: ScoringBatch): Float32Array {
    const losses = requireField(this.name, batch, 'losses');
    const std = requireField(this.name, batch, 'inputStd');
    const meanLoss = finiteMean(losses) + 1e-6;
    const meanStd = finiteMean(std) + 1e-6;
    const term = (x: number, mean: number): number =>
      Number.isFinite(x) ? clip(x / mean, 0, 2) / 2 : x > 0 ? 1 : 0;
    return Float32Array.from(
      losses,
      (l, i) => this.w * term(l, meanLoss) + (1 - this.w) * term(std[i]!, meanStd),
    );
  }

  state(): Record<string, never> {
    return {};
  }

  restore(): void {}
}
