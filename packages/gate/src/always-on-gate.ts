import type { Gate, GateStats, JsonObject } from '@sundew/types';
import { EnergyAccount } from './energy.js';
import { GateStateError } from './errors.js';

/** State of an `AlwaysOnGate`. */
export interface AlwaysOnGateState extends JsonObject {
  kind: 'always-on';
  account: { processed: number; activated: number; consumed: number; baseline: number };
}

/** Trains on every sample: full training behind the `Gate` interface (the baseline). */
export class AlwaysOnGate implements Gate<AlwaysOnGateState> {
  readonly name = 'always-on';
  readonly targetActivationRate = 1;
  private readonly account = new EnergyAccount({ energyPerActivation: 10, energyPerSkip: 0.1 });

  decide(scores: Float32Array): Uint8Array {
    this.account.book(scores.length, scores.length);
    return new Uint8Array(scores.length).fill(1);
  }

  stats(): GateStats {
    return this.account.statsAt(this.account.processed > 0 ? 1 : 0);
  }

  state(): AlwaysOnGateState {
    return { kind: 'always-on', account: this.account.state() };
  }

  restore(state: AlwaysOnGateState): void {
    if (state?.kind !== 'always-on') {
      throw new GateStateError(
        `AlwaysOnGate.restore: expected kind "always-on"; received ${JSON.stringify(state?.kind)}`,
      );
    }
    this.account.restore(state.account);
  }
}
