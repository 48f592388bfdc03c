import type { JsonObject } from '@sundew/types';
import type { RateController, RateControllerState } from './controller.js';
import type { EnergyAccount } from './energy.js';
import { GateStateError } from './errors.js';
import type { GateRandom } from './rng.js';
import type { SundewGateStats } from './sundew-gate.js';

/** What every gate with an energy store and a rate controller saves. */
export interface StoreGateState extends JsonObject {
  config: JsonObject;
  controller: RateControllerState & JsonObject;
  energyLevel: number;
  account: { processed: number; activated: number; consumed: number; baseline: number };
  rng: number[];
  lastBatchRate: number;
}

/**
 * The parts the Sundew gate and the original script's gate share: an energy
 * store, a rate controller, the modeled-energy account and a seeded
 * generator, with their stats, state and restore.
 */
export abstract class StoreGate {
  protected energyLevel: number;
  protected lastBatchRate = 0;

  protected constructor(
    protected readonly controller: RateController,
    protected readonly account: EnergyAccount,
    protected readonly rng: GateRandom,
    maxEnergy: number,
  ) {
    this.energyLevel = maxEnergy;
  }

  stats(): SundewGateStats {
    return {
      threshold: this.controller.threshold,
      activationRate: this.lastBatchRate,
      smoothedActivationRate: this.controller.ema,
      ...this.account.counts(),
      energyLevel: this.energyLevel,
    };
  }

  /** The shared part of `state()`; `config` is the gate's resolved config as JSON. */
  protected storeState(config: JsonObject): StoreGateState {
    return {
      config,
      controller: { ...this.controller.state() },
      energyLevel: this.energyLevel,
      account: this.account.state(),
      rng: this.rng.state(),
      lastBatchRate: this.lastBatchRate,
    };
  }

  /** Check that `state` was saved with this config (`who`: the class, for the message), then restore the shared part. */
  protected restoreStore(who: string, state: StoreGateState, config: JsonObject): void {
    if (JSON.stringify(state.config) !== JSON.stringify(config)) {
      throw new GateStateError(
        `${who}.restore: the state was saved by a gate with another config; construct the gate with the same config first`,
      );
    }
    this.controller.restore(state.controller);
    this.energyLevel = state.energyLevel;
    this.account.restore(state.account);
    this.rng.restore(state.rng);
    this.lastBatchRate = state.lastBatchRate;
  }
}
