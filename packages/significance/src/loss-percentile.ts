import type { JsonObject, ScoringBatch, SignificanceScorer } from '@sundew/types';
import { checkOption } from './errors.js';
import { requireField } from './inputs.js';
import { StaleLossScorer } from './stale-loss.js';

/** Options of the loss-percentile scorer. */
export interface LossPercentileOptions {
  /** `fresh`: losses of a scoring forward; `stale`: the loss cache (no forward). Default `fresh`. */
  source?: 'fresh' | 'stale';
  /** How many recent losses the percentile is taken against. Default 1024. */
  historySize?: number;
  /** Exponent β of percentile^β (Selective-Backprop); > 1 favours the hardest samples. Default 1. */
  power?: number;
  /** Dataset size (stale source). */
  datasetSize?: number;
}

/** History ring buffer (and the stale cache, when that is the source). */
export interface LossPercentileState extends JsonObject {
  history: number[];
  next: number;
  stale: JsonObject | null;
}

/**
 * Selective-Backprop's score: the percentile of each sample's loss among the
 * recent losses, raised to β, in [0, 1] — a scale the Sundew gate's [0, 1]
 * threshold understands whatever the loss magnitude. Unseen samples (stale
 * source) score 1.
 */
export class LossPercentileScorer implements SignificanceScorer<LossPercentileState> {
  readonly name = 'loss-percentile';
  readonly needs: { forward: boolean };
  private readonly historySize: number;
  private readonly power: number;
  private history: number[] = [];
  private next = 0;
  private readonly stale: StaleLossScorer | null;

  constructor(options: LossPercentileOptions = {}) {
    this.historySize = Math.floor(checkOption(this.name, 'historySize', options.historySize ?? 1024, 1, 1e7));
    this.power = checkOption(this.name, 'power', options.power ?? 1, 1e-6, 100);
    const source = options.source ?? 'fresh';
    this.needs = { forward: source === 'fresh' };
    this.stale =
      source === 'stale'
        ? new StaleLossScorer({
            ...(options.datasetSize ? { datasetSize: options.datasetSize } : {}),
            unseenScore: Number.NaN,
          })
        : null;
  }

  score(batch: ScoringBatch): Float32Array {
    const losses = this.stale ? this.stale.score(batch) : requireField(this.name, batch, 'losses');
    if (!this.stale) this.remember(losses);
    const sorted = Float64Array.from(this.history).sort();
    return Float32Array.from(losses, (loss) => {
      if (Number.isNaN(loss)) return this.stale ? 1 : 0;
      if (sorted.length === 0) return 1;
      // Fraction of the history strictly below, plus half of the ties.
      const below = lowerBound(sorted, loss);
      const upTo = upperBound(sorted, loss);
      return ((below + (upTo - below) / 2) / sorted.length) ** this.power;
    });
  }

  /** The stale source's loss cache, one loss per dataset index (NaN: never trained; a view); null for the fresh source. */
  cachedLosses(): Float32Array | null {
    return this.stale ? this.stale.cachedLosses() : null;
  }

  /** `stale`: the cached loss of a dataset index (NaN if never trained, or for `fresh`). */
  cachedLoss(index: number): number {
    return this.stale ? this.stale.cachedLoss(index) : Number.NaN;
  }

  observe(indices: Int32Array, losses: Float32Array): void {
    if (!this.stale) return;
    this.stale.observe(indices, losses);
    this.remember(losses);
  }

  state(): LossPercentileState {
    return { history: [...this.history], next: this.next, stale: this.stale ? this.stale.state() : null };
  }

  restore(state: LossPercentileState): void {
    this.history = [...state.history];
    this.next = state.next;
    if (this.stale && state.stale) this.stale.restore(state.stale as never);
  }

  private remember(losses: Float32Array): void {
    for (const loss of losses) {
      if (!Number.isFinite(loss)) continue;
      if (this.history.length < this.historySize) this.history.push(loss);
      else this.history[this.next] = loss;
      this.next = (this.next + 1) % this.historySize;
    }
  }
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
