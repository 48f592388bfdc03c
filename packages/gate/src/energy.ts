import type { GateStats } from '@sundew/types';
import { checkNumber } from './validate.js';

/** Costs of the modeled energy account (SPEC "The Sundew gate"). */
export interface EnergyCosts {
  energyPerActivation: number;
  energyPerSkip: number;
}

/** Counts of samples and modeled energy: shared by every gate so their stats mean the same thing. */
export class EnergyAccount {
  processed = 0;
  activated = 0;
  consumed = 0;
  baseline = 0;

  constructor(private readonly costs: EnergyCosts) {}

  /** An account from a gate's optional costs (defaults 10 and 0.1), each checked and named with `gate`. */
  static checked(gate: string, costs: Partial<EnergyCosts>): EnergyAccount {
    return new EnergyAccount({
      energyPerActivation: checkNumber(gate, 'energyPerActivation', costs.energyPerActivation ?? 10, {
        min: 0,
      }),
      energyPerSkip: checkNumber(gate, 'energyPerSkip', costs.energyPerSkip ?? 0.1, { min: 0 }),
    });
  }

  /** `GateStats` of a gate without a threshold or a smoothed rate: the last batch's rate and the counts. */
  statsAt(lastRate: number): GateStats {
    return {
      threshold: Number.NaN,
      activationRate: lastRate,
      smoothedActivationRate: lastRate,
      ...this.counts(),
    };
  }

  /** Book one decided batch. */
  book(batchSize: number, activated: number): void {
    const { energyPerActivation, energyPerSkip } = this.costs;
    this.processed += batchSize;
    this.activated += activated;
    this.consumed += activated * energyPerActivation + (batchSize - activated) * energyPerSkip;
    this.baseline += batchSize * energyPerActivation;
  }

  /** The counting part of `GateStats`. */
  counts(): Pick<
    GateStats,
    | 'processed'
    | 'activated'
    | 'cumulativeActivationRate'
    | 'energyConsumed'
    | 'energyBaseline'
    | 'energySavedPercent'
  > {
    return {
      processed: this.processed,
      activated: this.activated,
      cumulativeActivationRate: this.processed > 0 ? this.activated / this.processed : 0,
      energyConsumed: this.consumed,
      energyBaseline: this.baseline,
      energySavedPercent: this.baseline > 0 ? (100 * (this.baseline - this.consumed)) / this.baseline : 0,
    };
  }

  state(): { processed: number; activated: number; consumed: number; baseline: number } {
    return {
      processed: this.processed,
      activated: this.activated,
      consumed: this.consumed,
      baseline: this.baseline,
    };
  }

  restore(s: { processed: number; activated: number; consumed: number; baseline: number }): void {
    this.processed = s.processed;
    this.activated = s.activated;
    this.consumed = s.consumed;
    this.baseline = s.baseline;
  }
}
