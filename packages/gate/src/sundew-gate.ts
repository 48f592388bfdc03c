import type { Gate, GateStats, JsonObject } from '@sundew/types';
import { RateController, type RateControllerState } from './controller.js';
import { EnergyAccount } from './energy.js';
import { GateStateError } from './errors.js';
import { GateRandom } from './rng.js';
import {
  type ResolvedSundewGateConfig,
  resolveSundewConfig,
  type SundewGateConfig,
} from './sundew-config.js';

/** `GateStats` plus the energy store of the Sundew gate. */
export interface SundewGateStats extends GateStats {
  /** Energy left in the store (the `library` variant has none: always `maxEnergy`). */
  energyLevel: number;
}

/** Everything a `SundewGate` needs to continue exactly: plain JSON. */
export interface SundewGateState extends JsonObject {
  kind: 'sundew';
  version: 1;
  config: JsonObject;
  controller: RateControllerState & JsonObject;
  energyLevel: number;
  account: { processed: number; activated: number; consumed: number; baseline: number };
  rng: number[];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * The Sundew gate (SPEC "The Sundew gate"): samples whose score passes the
 * threshold activate with probability sigmoid((s − θ)/T) while the energy
 * store can pay for them; after each batch a PI controller moves θ so the
 * activation rate tracks the target.
 */
export class SundewGate implements Gate<SundewGateState> {
  readonly name = 'sundew';
  readonly config: Readonly<ResolvedSundewGateConfig>;
  private readonly controller: RateController;
  private readonly account: EnergyAccount;
  private readonly rng: GateRandom;
  private energyLevel: number;

  constructor(config: SundewGateConfig = {}) {
    this.config = Object.freeze(resolveSundewConfig(config));
    const c = this.config;
    const library = c.variant === 'library';
    this.controller = new RateController(
      {
        targetActivationRate: c.targetActivationRate,
        adaptKp: c.adaptKp,
        adaptKi: c.adaptKi,
        emaAlpha: c.emaAlpha,
        thresholdRange: library ? [0.5, 10] : [0, 1],
        integralBand: [0.01, 0.99],
        integralLimit: library ? 100 : 50,
        rateWindow: c.rateWindow,
      },
      c.activationThreshold,
    );
    this.account = new EnergyAccount(c);
    this.rng = new GateRandom(c.seed);
    this.energyLevel = c.maxEnergy;
  }

  get targetActivationRate(): number {
    return this.config.targetActivationRate;
  }

  decide(scores: Float32Array): Uint8Array {
    const mask = new Uint8Array(scores.length);
    if (scores.length === 0) return mask;
    const activated =
      this.config.variant === 'library'
        ? this.decideLibrary(scores, mask)
        : this.decideStandalone(scores, mask);
    this.account.book(scores.length, activated);
    const rate =
      this.config.rateWindow === 'cumulative'
        ? this.account.activated / this.account.processed
        : activated / scores.length;
    this.controller.update(rate);
    return mask;
  }

  stats(): SundewGateStats {
    return {
      threshold: this.controller.threshold,
      activationRate: this.controller.lastRate,
      smoothedActivationRate: this.controller.ema,
      ...this.account.counts(),
      energyLevel: this.energyLevel,
    };
  }

  state(): SundewGateState {
    return {
      kind: 'sundew',
      version: 1,
      config: { ...this.config, dormancyRegen: [...this.config.dormancyRegen] },
      controller: { ...this.controller.state() },
      energyLevel: this.energyLevel,
      account: this.account.state(),
      rng: this.rng.state(),
    };
  }

  restore(state: SundewGateState): void {
    if (state?.kind !== 'sundew' || state.version !== 1) {
      throw new GateStateError(
        `SundewGate.restore: expected a state with kind "sundew" and version 1; received kind ${JSON.stringify(state?.kind)}`,
      );
    }
    if (JSON.stringify(state.config) !== JSON.stringify(this.state().config)) {
      throw new GateStateError(
        'SundewGate.restore: the state was saved by a gate with another config; construct the gate with the same config first',
      );
    }
    this.controller.restore(state.controller);
    this.energyLevel = state.energyLevel;
    this.account.restore(state.account);
    this.rng.restore(state.rng);
  }

  private decideStandalone(scores: Float32Array, mask: Uint8Array): number {
    const { gateTemperature, energyPerActivation, maxEnergy, dormancyRegen } = this.config;
    const theta = this.controller.threshold;
    let activated = 0;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      // One draw per sample whatever happens, so the stream of draws does not depend on the scores.
      const u = this.rng.next();
      // NaN fails `s > theta`: a NaN score never activates.
      if (s > theta && u < sigmoid((s - theta) / gateTemperature) && this.energyLevel > energyPerActivation) {
        mask[i] = 1;
        activated++;
        this.energyLevel -= energyPerActivation;
      }
      this.energyLevel = Math.min(
        maxEnergy,
        this.energyLevel + this.rng.between(dormancyRegen[0], dormancyRegen[1]),
      );
    }
    return activated;
  }

  private decideLibrary(scores: Float32Array, mask: Uint8Array): number {
    const theta = this.controller.threshold;
    let activated = 0;
    for (let i = 0; i < scores.length; i++) {
      if (scores[i]! > theta) {
        mask[i] = 1;
        activated++;
      }
    }
    if (activated >= 2 || scores.length < 2) return activated;
    // Library fallback: when fewer than 2 pass, train on the top max(2, 10 % of B) finite scores.
    const k = Math.min(scores.length, Math.max(2, Math.ceil(0.1 * scores.length)));
    const order = [...scores.keys()]
      .filter((i) => !Number.isNaN(scores[i]!))
      .sort((a, b) => scores[b]! - scores[a]!);
    for (const i of order.slice(0, k)) mask[i] = 1;
    return mask.reduce((n, m) => n + m, 0);
  }
}
