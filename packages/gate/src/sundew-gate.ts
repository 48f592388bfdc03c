import type { Gate, GateStats, JsonObject } from '@sundew/types';
import { RateController } from './controller.js';
import { EnergyAccount } from './energy.js';
import { GateStateError } from './errors.js';
import { StreamQuantiles } from './quantiles.js';
import { GateRandom } from './rng.js';
import { StoreGate, type StoreGateState } from './store-gate.js';
import {
  type ResolvedSundewGateConfig,
  resolveSundewConfig,
  type SundewGateConfig,
  thresholdRange,
} from './sundew-config.js';

/** `GateStats` plus the energy store of the Sundew gate. */
export interface SundewGateStats extends GateStats {
  /** Energy left in the store. */
  energyLevel: number;
}

/** Everything a `SundewGate` needs to continue exactly: plain JSON. */
export interface SundewGateState extends StoreGateState {
  kind: 'sundew';
  version: 2;
  window: (number | string)[];
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * The Sundew gate (SPEC "The Sundew gate"), kept on target whatever the
 * scores look like: each score is first mapped to its quantile in the stream
 * (ranks within the batch by default, ties in random order), so θ is a
 * quantile and the gate behaves the same on bounded or unbounded, tied or
 * drifting scores. Samples above θ activate with probability
 * p = sigmoid((q − θ)/T) while the energy store can pay for them (systematic
 * sampling: the batch's count is within 1 of Σp); after each batch a PI
 * controller moves θ so the activation rate tracks the target.
 * `scoreSpace: 'raw'` keeps the reference's absolute threshold in [0, 1].
 */
export class SundewGate extends StoreGate implements Gate<SundewGateState> {
  readonly name = 'sundew';
  readonly config: Readonly<ResolvedSundewGateConfig>;
  private readonly quantiles: StreamQuantiles;

  constructor(config: SundewGateConfig = {}) {
    const c = Object.freeze(resolveSundewConfig(config));
    const range = thresholdRange(c.scoreSpace);
    const controller = new RateController(
      {
        targetActivationRate: c.targetActivationRate,
        adaptKp: c.adaptKp,
        adaptKi: c.adaptKi,
        emaAlpha: c.emaAlpha,
        thresholdRange: range,
        integralBand: [range[0] + 0.01, range[1] - 0.01],
        integralLimit: 50,
        rateWindow: c.rateWindow,
      },
      c.activationThreshold,
    );
    super(controller, new EnergyAccount(c), new GateRandom(c.seed), c.maxEnergy);
    this.config = c;
    this.quantiles = new StreamQuantiles(c.quantileWindow);
  }

  get targetActivationRate(): number {
    return this.config.targetActivationRate;
  }

  decide(scores: Float32Array): Uint8Array {
    const mask = new Uint8Array(scores.length);
    if (scores.length === 0) return mask;
    const activated = this.activate(this.inGateSpace(scores), mask);
    this.account.book(scores.length, activated);
    this.lastBatchRate = activated / scores.length;
    this.controller.update(
      this.config.rateWindow === 'cumulative'
        ? this.account.activated / this.account.processed
        : activated / scores.length,
    );
    return mask;
  }

  state(): SundewGateState {
    return {
      kind: 'sundew',
      version: 2,
      ...this.storeState(this.configJson()),
      window: this.quantiles.state(),
    };
  }

  restore(state: SundewGateState): void {
    if (state?.kind !== 'sundew' || state.version !== 2) {
      throw new GateStateError(
        `SundewGate.restore: expected a state with kind "sundew" and version 2; received kind ${JSON.stringify(state?.kind)}, version ${JSON.stringify(state?.version)}` +
          (state?.kind === 'sundew' && (state as { version: number }).version === 1
            ? ' (version 1 was saved by the gate before quantile space; resume such a run with the Sundew release that wrote it, or start it again)'
            : ''),
      );
    }
    this.restoreStore('SundewGate', state, this.configJson());
    this.quantiles.restore(state.window);
  }

  private configJson(): JsonObject {
    return { ...this.config, dormancyRegen: [...this.config.dormancyRegen] };
  }

  /** The scores the threshold is compared with: their stream quantiles, or the raw scores. */
  private inGateSpace(scores: Float32Array): Float64Array {
    const out = new Float64Array(scores.length);
    if (this.config.scoreSpace === 'raw') {
      out.set(scores);
      return out;
    }
    // One tie-breaking draw per sample, whatever the scores.
    const keys = Float64Array.from(scores, () => this.rng.next());
    this.quantiles.transform(scores, keys, out);
    return out;
  }

  private activate(q: Float64Array, mask: Uint8Array): number {
    const { gateTemperature, energyPerActivation, maxEnergy, dormancyRegen, sampling } = this.config;
    const theta = this.controller.threshold;
    // Systematic sampling: one offset per batch; the running sum of p crosses an integer at each pick.
    let carry = this.rng.next();
    let activated = 0;
    for (let i = 0; i < q.length; i++) {
      const s = q[i]!;
      // NaN fails `s > theta`: a NaN score never activates.
      const p = s > theta ? sigmoid((s - theta) / gateTemperature) : 0;
      // One sampling draw per sample whatever happens (independent sampling), so the stream of draws does not depend on the scores.
      let picked: boolean;
      if (sampling === 'independent') {
        picked = this.rng.next() < p;
      } else {
        carry += p;
        picked = carry >= 1;
        if (picked) carry -= 1;
      }
      if (picked && this.energyLevel > energyPerActivation) {
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
}
