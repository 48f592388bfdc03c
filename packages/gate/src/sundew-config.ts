import { GateConfigError } from './errors.js';
import { checkInterval, checkKnownKeys, checkNumber, checkSeed } from './validate.js';

/** Options of `SundewGate`; every field is optional (defaults in `SUNDEW_DEFAULTS`). */
export interface SundewGateConfig {
  /**
   * `quantile` (default): the threshold lives in the score stream's own
   * quantile space — each score is replaced by its rank among the batch's
   * scores (and the last `quantileWindow` scores), ties broken at random — so
   * the gate holds its target whatever the scores' scale, spread or ties.
   * `raw`: the reference's absolute threshold on scores in [0, 1].
   */
  scoreSpace?: 'quantile' | 'raw';
  /**
   * How many past scores the quantiles are taken against, besides the batch's
   * own. 0 (default): ranks within the batch (immune to drift and scale
   * changes). N > 0: against the last N scores too, so a batch with more
   * high scores than usual trains more of them (at the price of a slower
   * response to drift). `quantile` space only.
   */
  quantileWindow?: number;
  /**
   * `systematic` (default): one uniform offset per batch walks the samples'
   * activation probabilities, so each sample still activates with its own
   * probability p but the batch's count is within 1 of Σp (no binomial noise).
   * `independent`: one draw per sample, as the reference.
   */
  sampling?: 'systematic' | 'independent';
  /**
   * Initial threshold θ. `auto` (default): the θ at which the gate's
   * activation law gives the target on evenly spread quantiles (`raw` space:
   * the reference's 0.7).
   */
  activationThreshold?: number | 'auto';
  /** Rate the controller steers toward, in (0, 1]. Reference 0.06 (the script used 0.10). */
  targetActivationRate?: number;
  /** Temperature of p = sigmoid((s − θ)/T) above the threshold (in quantile units by default). Reference 0.15. */
  gateTemperature?: number;
  /** Capacity of the energy store. Reference 100. */
  maxEnergy?: number;
  /**
   * Energy regenerated per sample, drawn from U(min, max). `auto` (default):
   * `energyForRate(target)`, a store that sustains twice the target (the
   * reference's U(1, 3) up to 10 %). Reference [1, 3].
   */
  dormancyRegen?: [number, number] | 'auto';
  /** Proportional gain of the threshold update. Default 0.5 (reference 0.15; the script 0.0015). */
  adaptKp?: number;
  /** Integral gain. Default 0.002 (reference 0.01; the script 0.00005). */
  adaptKi?: number;
  /** Modeled energy of one activation (also the store cost). Reference 10. */
  energyPerActivation?: number;
  /** Modeled energy of one skip. Reference 0.1. */
  energyPerSkip?: number;
  /** EMA factor of the activation rate. Reference 0.3. */
  emaAlpha?: number;
  /** `batch` (default): steer on each batch's rate. `cumulative`: on the rate since the start (reference). */
  rateWindow?: 'batch' | 'cumulative';
  /** Seed of the gate's generator (tie-breaking, sampling, regeneration). Default 0. */
  seed?: number;
}

/** A config with every field present and every `auto` resolved. */
export interface ResolvedSundewGateConfig {
  scoreSpace: 'quantile' | 'raw';
  quantileWindow: number;
  sampling: 'systematic' | 'independent';
  activationThreshold: number;
  targetActivationRate: number;
  gateTemperature: number;
  maxEnergy: number;
  dormancyRegen: [number, number];
  adaptKp: number;
  adaptKi: number;
  energyPerActivation: number;
  energyPerSkip: number;
  emaAlpha: number;
  rateWindow: 'batch' | 'cumulative';
  seed: number;
}

/** Sundew's defaults (the single source the CLI's help and the READMEs are derived from). */
export const SUNDEW_DEFAULTS: Readonly<Required<SundewGateConfig>> = Object.freeze({
  scoreSpace: 'quantile',
  quantileWindow: 0,
  sampling: 'systematic',
  activationThreshold: 'auto',
  targetActivationRate: 0.06,
  gateTemperature: 0.15,
  maxEnergy: 100,
  dormancyRegen: 'auto',
  adaptKp: 0.5,
  adaptKi: 0.002,
  energyPerActivation: 10,
  energyPerSkip: 0.1,
  emaAlpha: 0.3,
  rateWindow: 'batch',
  seed: 0,
});

/** Where θ lives: quantile space reaches below 0 so targets near 100 % are reachable. */
export function thresholdRange(scoreSpace: 'quantile' | 'raw'): readonly [number, number] {
  return scoreSpace === 'quantile' ? [-1, 1] : [0, 1];
}

/**
 * An energy store that sustains a target rate: the store alone caps the rate
 * at mean regeneration / activation cost (20 % with the reference's U(1, 3) and
 * cost 10), so the regeneration range is scaled to sustain twice the target,
 * never below the reference's. At targets up to 10 % it is the reference.
 */
export function energyForRate(
  targetActivationRate: number,
  energyPerActivation = SUNDEW_DEFAULTS.energyPerActivation,
): { dormancyRegen: [number, number] } {
  const mean = Math.max(2, 2 * targetActivationRate * energyPerActivation);
  return { dormancyRegen: [mean / 2, (3 * mean) / 2] };
}

/**
 * The rate the activation law p = sigmoid((q − θ)/T) for q > θ gives on
 * quantiles spread evenly over [0, 1]: ∫ from max(θ, 0) to 1 of sigmoid((q − θ)/T) dq.
 */
export function rateAtThreshold(theta: number, temperature: number): number {
  const softplus = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)));
  const lo = Math.max(theta, 0);
  if (lo >= 1) return 0;
  return temperature * (softplus((1 - theta) / temperature) - softplus((lo - theta) / temperature));
}

/** The θ whose `rateAtThreshold` is the target (bisection; the rate falls as θ rises). */
export function thresholdForRate(
  target: number,
  temperature: number,
  range = thresholdRange('quantile'),
): number {
  let lo = range[0];
  let hi = range[1];
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (rateAtThreshold(mid, temperature) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const KNOWN = Object.keys(SUNDEW_DEFAULTS);

/** Fill defaults and check every field; throws `GateConfigError` naming the field and its allowed range. */
export function resolveSundewConfig(config: SundewGateConfig = {}): ResolvedSundewGateConfig {
  const g = 'SundewGate';
  if ('energyPressure' in config) {
    throw new GateConfigError(
      'energyPressure',
      `${g}: energyPressure is not supported: the reference declared it but never used it, and the ` +
        'rate controller already holds the target; remove it (tune targetActivationRate instead)',
    );
  }
  if ('variant' in config) {
    throw new GateConfigError(
      'variant',
      `${g}: variant is not an option any more: the originals are gates of their own — ` +
        'new LibraryGate() or createGate("sundew-library") for the library, new ScriptGate() or ' +
        'createGate("sundew-script") for the standalone script',
    );
  }
  checkKnownKeys(g, config, KNOWN);
  const c = { ...SUNDEW_DEFAULTS, ...config };
  const oneOf = <T extends string>(field: string, value: unknown, allowed: readonly T[]): T => {
    if (!allowed.includes(value as T)) {
      throw new GateConfigError(
        field,
        `${g}: ${field} must be ${allowed.map((a) => `"${a}"`).join(' or ')}; received ${JSON.stringify(value)}`,
      );
    }
    return value as T;
  };
  const scoreSpace = oneOf('scoreSpace', c.scoreSpace, ['quantile', 'raw'] as const);
  const sampling = oneOf('sampling', c.sampling, ['systematic', 'independent'] as const);
  const rateWindow = oneOf('rateWindow', c.rateWindow, ['batch', 'cumulative'] as const);
  const quantileWindow = checkNumber(g, 'quantileWindow', c.quantileWindow, { min: 0, max: 1_000_000 });
  if (!Number.isInteger(quantileWindow)) {
    throw new GateConfigError(
      'quantileWindow',
      `${g}: quantileWindow must be a whole number of scores; received ${quantileWindow}`,
    );
  }
  if (scoreSpace === 'raw' && quantileWindow > 0) {
    throw new GateConfigError(
      'quantileWindow',
      `${g}: quantileWindow only applies to scoreSpace "quantile"; remove it or use scoreSpace "quantile"`,
    );
  }
  const targetActivationRate = checkNumber(g, 'targetActivationRate', c.targetActivationRate, {
    min: 0,
    max: 1,
    minOpen: true,
  });
  const gateTemperature = checkNumber(g, 'gateTemperature', c.gateTemperature, { min: 0, minOpen: true });
  const energyPerActivation = checkNumber(g, 'energyPerActivation', c.energyPerActivation, { min: 0 });
  const range = thresholdRange(scoreSpace);
  const activationThreshold =
    c.activationThreshold === 'auto'
      ? scoreSpace === 'quantile'
        ? thresholdForRate(targetActivationRate, gateTemperature, range)
        : 0.7
      : checkNumber(g, 'activationThreshold', c.activationThreshold, { min: range[0], max: range[1] });
  const dormancyRegen =
    c.dormancyRegen === 'auto'
      ? energyForRate(targetActivationRate, energyPerActivation).dormancyRegen
      : checkInterval(g, 'dormancyRegen', c.dormancyRegen, { min: 0, max: Number.MAX_VALUE });
  return {
    scoreSpace,
    quantileWindow,
    sampling,
    activationThreshold,
    targetActivationRate,
    gateTemperature,
    maxEnergy: checkNumber(g, 'maxEnergy', c.maxEnergy, { min: 0, minOpen: true }),
    dormancyRegen,
    adaptKp: checkNumber(g, 'adaptKp', c.adaptKp, { min: 0 }),
    adaptKi: checkNumber(g, 'adaptKi', c.adaptKi, { min: 0 }),
    energyPerActivation,
    energyPerSkip: checkNumber(g, 'energyPerSkip', c.energyPerSkip, { min: 0 }),
    emaAlpha: checkNumber(g, 'emaAlpha', c.emaAlpha, { min: 0, max: 1, minOpen: true }),
    rateWindow,
    seed: checkSeed(g, c.seed),
  };
}
