import type { Gate, JsonObject } from '@sundew/types';
import { RateController } from './controller.js';
import { EnergyAccount } from './energy.js';
import { GateStateError } from './errors.js';
import { GateRandom } from './rng.js';
import { StoreGate, type StoreGateState } from './store-gate.js';
import { sigmoid } from './sundew-gate.js';
import { checkInterval, checkKnownKeys, checkNumber, checkSeed } from './validate.js';

/** Options of `ScriptGate`: the standalone script's `SundewConfig` fields. */
export interface ScriptGateConfig {
  activationThreshold?: number;
  targetActivationRate?: number;
  gateTemperature?: number;
  maxEnergy?: number;
  dormancyRegen?: [number, number];
  adaptKp?: number;
  adaptKi?: number;
  energyPerActivation?: number;
  energyPerSkip?: number;
  /** The script's `threshold_ema_alpha` (0.3, fixed there). */
  emaAlpha?: number;
  seed?: number;
}

export type ResolvedScriptGateConfig = Required<ScriptGateConfig>;

/**
 * The standalone script's `SundewConfig` dataclass defaults, verbatim
 * (`energy_pressure` 0.4 is declared there and never read).
 */
export const SCRIPT_CONFIG_DEFAULTS: Readonly<ResolvedScriptGateConfig> = Object.freeze({
  activationThreshold: 0.7,
  targetActivationRate: 0.06,
  gateTemperature: 0.15,
  maxEnergy: 100,
  dormancyRegen: [1, 3] as [number, number],
  adaptKp: 0.15,
  adaptKi: 0.01,
  energyPerActivation: 10,
  energyPerSkip: 0.1,
  emaAlpha: 0.3,
  seed: 0,
});

/** What the script's trainer (`BatchedAdaptiveSparseTrainer`) passes instead of the defaults. */
export const SCRIPT_TRAINER_CONFIG: Readonly<ResolvedScriptGateConfig> = Object.freeze({
  ...SCRIPT_CONFIG_DEFAULTS,
  activationThreshold: 0.5,
  targetActivationRate: 0.1,
  adaptKp: 0.0015,
  adaptKi: 0.00005,
});

export interface ScriptGateState extends StoreGateState {
  kind: 'sundew-script';
  version: 1;
}

const KNOWN = Object.keys(SCRIPT_CONFIG_DEFAULTS);

/**
 * The original standalone script's gate, decision for decision:
 * `SundewAlgorithm.process_batch` then `update_threshold` once per batch.
 * Per sample, with θ fixed for the batch: if s > θ, draw u and activate when
 * u < sigmoid((s − θ)/T) and the store holds more than 10 (spending 10); then
 * every sample regenerates U(dormancy_regen), capped at max_energy. Once per
 * batch: the *cumulative* rate since the start, ema = α·rate + (1 − α)·ema,
 * e = ema − target, θ' = θ + kp·e + ki·I (I before this update), I += e
 * clamped to ±50 while 0.01 < θ' < 0.99 (else I ·= 0.9), θ = clamp(θ', 0, 1).
 * What still differs: the random stream (the script draws from NumPy's global
 * Mersenne Twister; this gate from its own seeded xoroshiro128+, in the same
 * order: one draw per sample above θ, then one regeneration draw per sample).
 * The script's trainer also trains 2 random samples when nothing activates:
 * that is the trainer's fallback, not the gate's.
 */
export class ScriptGate extends StoreGate implements Gate<ScriptGateState> {
  readonly name = 'sundew-script';
  readonly config: Readonly<ResolvedScriptGateConfig>;

  constructor(config: ScriptGateConfig = {}) {
    const g = 'ScriptGate';
    checkKnownKeys(g, config, KNOWN);
    const c = { ...SCRIPT_CONFIG_DEFAULTS, ...config };
    const resolved: ResolvedScriptGateConfig = Object.freeze({
      activationThreshold: checkNumber(g, 'activationThreshold', c.activationThreshold, { min: 0, max: 1 }),
      targetActivationRate: checkNumber(g, 'targetActivationRate', c.targetActivationRate, {
        min: 0,
        max: 1,
        minOpen: true,
      }),
      gateTemperature: checkNumber(g, 'gateTemperature', c.gateTemperature, { min: 0, minOpen: true }),
      maxEnergy: checkNumber(g, 'maxEnergy', c.maxEnergy, { min: 0, minOpen: true }),
      dormancyRegen: checkInterval(g, 'dormancyRegen', c.dormancyRegen, { min: 0, max: Number.MAX_VALUE }),
      adaptKp: checkNumber(g, 'adaptKp', c.adaptKp, { min: 0 }),
      adaptKi: checkNumber(g, 'adaptKi', c.adaptKi, { min: 0 }),
      energyPerActivation: checkNumber(g, 'energyPerActivation', c.energyPerActivation, { min: 0 }),
      energyPerSkip: checkNumber(g, 'energyPerSkip', c.energyPerSkip, { min: 0 }),
      emaAlpha: checkNumber(g, 'emaAlpha', c.emaAlpha, { min: 0, max: 1, minOpen: true }),
      seed: checkSeed(g, c.seed),
    });
    const controller = new RateController(
      {
        targetActivationRate: resolved.targetActivationRate,
        adaptKp: resolved.adaptKp,
        adaptKi: resolved.adaptKi,
        emaAlpha: resolved.emaAlpha,
        thresholdRange: [0, 1],
        integralBand: [0.01, 0.99],
        integralLimit: 50,
        rateWindow: 'cumulative',
      },
      resolved.activationThreshold,
    );
    super(controller, new EnergyAccount(resolved), new GateRandom(resolved.seed), resolved.maxEnergy);
    this.config = resolved;
  }

  get targetActivationRate(): number {
    return this.config.targetActivationRate;
  }

  decide(scores: Float32Array): Uint8Array {
    const mask = new Uint8Array(scores.length);
    if (scores.length === 0) return mask;
    const { gateTemperature, energyPerActivation, maxEnergy, dormancyRegen } = this.config;
    const theta = this.controller.threshold;
    let activated = 0;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      // NaN fails `s > theta` (as in NumPy): no draw, no activation.
      if (s > theta) {
        const p = sigmoid((s - theta) / gateTemperature);
        if (this.rng.next() < p && this.energyLevel > energyPerActivation) {
          this.energyLevel -= energyPerActivation;
          mask[i] = 1;
          activated++;
        }
      }
      this.energyLevel = Math.min(maxEnergy, this.energyLevel + this.rng.between(...dormancyRegen));
    }
    this.account.book(scores.length, activated);
    this.lastBatchRate = activated / scores.length;
    this.controller.update(this.account.activated / this.account.processed);
    return mask;
  }

  state(): ScriptGateState {
    return { kind: 'sundew-script', version: 1, ...this.storeState(this.configJson()) };
  }

  restore(state: ScriptGateState): void {
    if (state?.kind !== 'sundew-script' || state.version !== 1) {
      throw new GateStateError(
        `ScriptGate.restore: expected a state with kind "sundew-script" and version 1; received kind ${JSON.stringify(state?.kind)}`,
      );
    }
    this.restoreStore('ScriptGate', state, this.configJson());
  }

  private configJson(): JsonObject {
    return { ...this.config, dormancyRegen: [...this.config.dormancyRegen] };
  }
}
