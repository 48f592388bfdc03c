import type { Gate, GateStats, JsonObject } from '@sundew/types';
import { EnergyAccount, type EnergyCosts } from './energy.js';
import { GateStateError } from './errors.js';
import { GateRandom } from './rng.js';
import { checkKnownKeys, checkNumber, checkSeed } from './validate.js';

/** Options of `InfoBatchGate`. */
export interface InfoBatchGateConfig extends Partial<EnergyCosts> {
  /** Share of the below-mean samples pruned, in [0, 1). InfoBatch's r; default 0.5. */
  prune?: number;
  /** Seed of the random pruning. Default 0. */
  seed?: number;
}

/** State of an `InfoBatchGate`. */
export interface InfoBatchGateState extends JsonObject {
  kind: 'infobatch';
  rng: number[];
  lastRate: number;
  account: { processed: number; activated: number; consumed: number; baseline: number };
}

/**
 * The mean InfoBatch's rule compares each score with: of the finite scores
 * (+∞ for never seen, NaN for none, are left out), 0 if there is none. The
 * trainer's `reweight: 'infobatch'` uses the same one.
 */
export function finiteMean(scores: Float32Array): number {
  let sum = 0;
  let n = 0;
  for (const s of scores) {
    if (Number.isFinite(s)) {
      sum += s;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

/**
 * InfoBatch's soft pruning (Qin et al., ICLR 2024): every sample scoring at or
 * above the batch's mean score is kept, and each one below it is dropped at
 * random with probability `prune`. A score of +∞ (a sample never seen, as
 * `stale-loss` scores it) is kept and left out of the mean; a NaN score is not
 * trained on. There is no target rate:
 * how many are kept follows the scores' distribution (with a long right tail
 * most samples are below the mean). Pair it with the trainer's
 * `reweight: 'infobatch'` (each kept below-mean sample weighs 1 / the kept share of them,
 * so the step's gradient stays unbiased) and raw loss scores (`stale-loss`).
 * InfoBatch's annealing (full data for the last epochs) belongs to a run of
 * known length and is not part of the gate.
 */
export class InfoBatchGate implements Gate<InfoBatchGateState> {
  readonly name = 'infobatch';
  readonly prune: number;
  private readonly rng: GateRandom;
  private readonly account: EnergyAccount;
  private lastRate = 0;

  constructor(config: InfoBatchGateConfig = {}) {
    checkKnownKeys('InfoBatchGate', config, ['prune', 'seed', 'energyPerActivation', 'energyPerSkip']);
    this.prune = checkNumber('InfoBatchGate', 'prune', config.prune ?? 0.5, {
      min: 0,
      max: 1,
      maxOpen: true,
    });
    this.rng = new GateRandom(checkSeed('InfoBatchGate', config.seed ?? 0));
    this.account = EnergyAccount.checked('InfoBatchGate', config);
  }

  decide(scores: Float32Array): Uint8Array {
    const mask = new Uint8Array(scores.length);
    const mean = finiteMean(scores);
    let kept = 0;
    scores.forEach((s, i) => {
      if (Number.isNaN(s)) return; // no score at all: not trained on
      // A draw for each finite below-mean sample only.
      if (s === Number.POSITIVE_INFINITY || s >= mean || this.rng.next() >= this.prune) {
        mask[i] = 1;
        kept++;
      }
    });
    this.account.book(scores.length, kept);
    this.lastRate = scores.length > 0 ? kept / scores.length : 0;
    return mask;
  }

  stats(): GateStats {
    return this.account.statsAt(this.lastRate);
  }

  state(): InfoBatchGateState {
    return {
      kind: 'infobatch',
      rng: this.rng.state(),
      lastRate: this.lastRate,
      account: this.account.state(),
    };
  }

  restore(state: InfoBatchGateState): void {
    if (state?.kind !== 'infobatch') {
      throw new GateStateError(
        `InfoBatchGate.restore: expected kind "infobatch"; received ${JSON.stringify(state?.kind)}`,
      );
    }
    this.rng.restore(state.rng);
    this.lastRate = state.lastRate;
    this.account.restore(state.account);
  }
}
