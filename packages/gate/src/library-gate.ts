import type { Gate, GateStats, JsonObject } from '@sundew/types';
import { EnergyAccount } from './energy.js';
import { GateStateError } from './errors.js';
import { checkKnownKeys, checkNumber } from './validate.js';

/** Options of `LibraryGate`: the original library's `ASTConfig` fields it reads. */
export interface LibraryGateConfig {
  /** `target_activation_rate`. */
  targetActivationRate?: number;
  /** `initial_threshold`. */
  activationThreshold?: number;
  /** `adapt_kp`. */
  adaptKp?: number;
  /** `adapt_ki`. */
  adaptKi?: number;
  /** `ema_alpha`. */
  emaAlpha?: number;
  energyPerActivation?: number;
  energyPerSkip?: number;
}

export type ResolvedLibraryGateConfig = Required<LibraryGateConfig>;

/** The library's `ASTConfig` defaults (adaptive_sparse_training 1.0.1), verbatim. */
export const LIBRARY_DEFAULTS: Readonly<ResolvedLibraryGateConfig> = Object.freeze({
  targetActivationRate: 0.4,
  activationThreshold: 3.0,
  adaptKp: 0.005,
  adaptKi: 0.0001,
  emaAlpha: 0.1,
  energyPerActivation: 10,
  energyPerSkip: 0.1,
});

export interface LibraryGateState extends JsonObject {
  kind: 'sundew-library';
  version: 1;
  config: JsonObject;
  threshold: number;
  ema: number;
  integral: number;
  lastRate: number;
  account: { processed: number; activated: number; consumed: number; baseline: number };
}

const KNOWN = Object.keys(LIBRARY_DEFAULTS);

/**
 * The original library's gate (adaptive_sparse_training 1.0.1,
 * `SundewAlgorithm.select_samples`), decision for decision, deterministic:
 * mask = s > θ; k = max(2, ⌊0.1·B⌋); if fewer than k pass, the mask is the top
 * k scores instead; rate = active / B; ema = α·rate + (1 − α)·ema; e = ema −
 * target; if 0.5 < θ < 10 (θ before this update) then I = clamp(I + e, ±100)
 * else I ·= 0.9; θ = clamp(θ + kp·e + ki·I, 0.5, 10) with the updated I.
 * Where the original cannot decide we choose, and say so: a batch smaller
 * than k trains all of it (torch.topk would raise); NaN scores are never
 * picked (torch.topk ranks NaN first); equal scores at the top-k cut are
 * taken in index order (torch leaves the order unspecified).
 * Scores are the library's raw 0.7·CE + 0.3·entropy, so θ's scale (0.5–10)
 * depends on the class count: use the `loss-entropy` scorer with it.
 */
export class LibraryGate implements Gate<LibraryGateState> {
  readonly name = 'sundew-library';
  readonly config: Readonly<ResolvedLibraryGateConfig>;
  private readonly account: EnergyAccount;
  private threshold: number;
  private ema: number;
  private integral = 0;
  private lastRate = 0;

  constructor(config: LibraryGateConfig = {}) {
    const g = 'LibraryGate';
    checkKnownKeys(g, config, KNOWN);
    const c = { ...LIBRARY_DEFAULTS, ...config };
    this.config = Object.freeze({
      targetActivationRate: checkNumber(g, 'targetActivationRate', c.targetActivationRate, {
        min: 0,
        max: 1,
        minOpen: true,
      }),
      activationThreshold: checkNumber(g, 'activationThreshold', c.activationThreshold, {
        min: 0.5,
        max: 10,
      }),
      adaptKp: checkNumber(g, 'adaptKp', c.adaptKp, { min: 0 }),
      adaptKi: checkNumber(g, 'adaptKi', c.adaptKi, { min: 0 }),
      emaAlpha: checkNumber(g, 'emaAlpha', c.emaAlpha, { min: 0, max: 1, minOpen: true }),
      energyPerActivation: checkNumber(g, 'energyPerActivation', c.energyPerActivation, { min: 0 }),
      energyPerSkip: checkNumber(g, 'energyPerSkip', c.energyPerSkip, { min: 0 }),
    });
    this.account = new EnergyAccount(this.config);
    this.threshold = this.config.activationThreshold;
    this.ema = this.config.targetActivationRate;
  }

  get targetActivationRate(): number {
    return this.config.targetActivationRate;
  }

  decide(scores: Float32Array): Uint8Array {
    const batch = scores.length;
    const mask = new Uint8Array(batch);
    if (batch === 0) return mask;
    const c = this.config;
    let active = 0;
    // torch compares a float32 tensor with a Python float in float32: θ is rounded to float32 first.
    const theta = Math.fround(this.threshold);
    for (let i = 0; i < batch; i++) {
      if (scores[i]! > theta) {
        mask[i] = 1;
        active++;
      }
    }
    const minActive = Math.max(2, Math.floor(batch * 0.1));
    if (active < minActive) {
      mask.fill(0);
      const order = [...scores.keys()]
        .filter((i) => !Number.isNaN(scores[i]!))
        .sort((a, b) => scores[b]! - scores[a]! || a - b);
      const top = order.slice(0, Math.min(minActive, batch));
      for (const i of top) mask[i] = 1;
      active = top.length;
    }
    const rate = active / batch;
    this.lastRate = rate;
    this.ema = c.emaAlpha * rate + (1 - c.emaAlpha) * this.ema;
    const error = this.ema - c.targetActivationRate;
    if (this.threshold > 0.5 && this.threshold < 10) {
      this.integral = Math.max(-100, Math.min(100, this.integral + error));
    } else {
      this.integral *= 0.9;
    }
    const next = this.threshold + c.adaptKp * error + c.adaptKi * this.integral;
    this.threshold = Math.max(0.5, Math.min(10, next));
    this.account.book(batch, active);
    return mask;
  }

  stats(): GateStats {
    return {
      threshold: this.threshold,
      activationRate: this.lastRate,
      smoothedActivationRate: this.ema,
      ...this.account.counts(),
    };
  }

  state(): LibraryGateState {
    return {
      kind: 'sundew-library',
      version: 1,
      config: { ...this.config },
      threshold: this.threshold,
      ema: this.ema,
      integral: this.integral,
      lastRate: this.lastRate,
      account: this.account.state(),
    };
  }

  restore(state: LibraryGateState): void {
    if (state?.kind !== 'sundew-library' || state.version !== 1) {
      throw new GateStateError(
        `LibraryGate.restore: expected a state with kind "sundew-library" and version 1; received kind ${JSON.stringify(state?.kind)}`,
      );
    }
    if (JSON.stringify(state.config) !== JSON.stringify(this.state().config)) {
      throw new GateStateError(
        'LibraryGate.restore: the state was saved by a gate with another config; construct the gate with the same config first',
      );
    }
    this.threshold = state.threshold;
    this.ema = state.ema;
    this.integral = state.integral;
    this.lastRate = state.lastRate;
    this.account.restore(state.account);
  }
}
