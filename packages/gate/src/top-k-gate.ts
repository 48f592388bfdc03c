import type { Gate, GateStats, JsonObject } from '@sundew/types';
import { EnergyAccount, type EnergyCosts } from './energy.js';
import { GateStateError } from './errors.js';
import { checkKnownKeys, checkNumber } from './validate.js';

/** Options of `TopKGate`. */
export interface TopKGateConfig extends Partial<EnergyCosts> {
  /** Share of every batch to train on, in (0, 1]. */
  rate: number;
}

/** State of a `TopKGate`. */
export interface TopKGateState extends JsonObject {
  kind: 'top-k';
  carry: number;
  lastRate: number;
  account: { processed: number; activated: number; consumed: number; baseline: number };
}

/**
 * Trains on the highest-scoring share of every batch: no controller, an exact
 * rate. The fractional part of rate·B is carried to the next batch, so the
 * long-run rate is exact for any batch size.
 */
export class TopKGate implements Gate<TopKGateState> {
  readonly name = 'top-k';
  readonly targetActivationRate: number;
  private readonly account: EnergyAccount;
  private carry = 0;
  private lastRate = 0;

  constructor(config: TopKGateConfig) {
    checkKnownKeys('TopKGate', config, ['rate', 'energyPerActivation', 'energyPerSkip']);
    this.targetActivationRate = checkNumber('TopKGate', 'rate', config.rate, {
      min: 0,
      max: 1,
      minOpen: true,
    });
    this.account = EnergyAccount.checked('TopKGate', config);
  }

  decide(scores: Float32Array): Uint8Array {
    const mask = new Uint8Array(scores.length);
    if (scores.length === 0) return mask;
    const wanted = this.targetActivationRate * scores.length + this.carry;
    const k = Math.min(scores.length, Math.floor(wanted));
    this.carry = wanted - k;
    // NaN scores sort last: they are only chosen when nothing else is left.
    const key = (i: number): number => (Number.isNaN(scores[i]!) ? -Infinity : scores[i]!);
    const order = [...scores.keys()].sort((a, b) => key(b) - key(a) || a - b);
    for (const i of order.slice(0, k)) mask[i] = 1;
    this.account.book(scores.length, k);
    this.lastRate = k / scores.length;
    return mask;
  }

  stats(): GateStats {
    return this.account.statsAt(this.lastRate);
  }

  state(): TopKGateState {
    return { kind: 'top-k', carry: this.carry, lastRate: this.lastRate, account: this.account.state() };
  }

  restore(state: TopKGateState): void {
    if (state?.kind !== 'top-k') {
      throw new GateStateError(
        `TopKGate.restore: expected kind "top-k"; received ${JSON.stringify(state?.kind)}`,
      );
    }
    this.carry = state.carry;
    this.lastRate = state.lastRate;
    this.account.restore(state.account);
  }
}
