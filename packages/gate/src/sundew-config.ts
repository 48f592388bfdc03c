import { GateConfigError } from './errors.js';
import { checkInterval, checkKnownKeys, checkNumber, checkSeed } from './validate.js';

/** Options of `SundewGate`; every field is optional (defaults below). */
export interface SundewGateConfig {
  /**
   * `standalone` (default): the original script's stochastic energy-aware gate,
   * threshold in [0, 1]. `library`: the original library's deterministic gate
   * (s > θ), threshold in [0.5, 10], top-k fallback, no energy store.
   */
  variant?: 'standalone' | 'library';
  /** Initial threshold θ. Reference 0.7 (the script used 0.5). */
  activationThreshold?: number;
  /** Rate the controller steers toward, in (0, 1]. Reference 0.06 (the script used 0.10). */
  targetActivationRate?: number;
  /** Temperature of p = sigmoid((s − θ)/T) above the threshold. Reference 0.15. */
  gateTemperature?: number;
  /** Capacity of the energy store. Reference 100. */
  maxEnergy?: number;
  /** Energy regenerated per sample, drawn from U(min, max). Reference [1, 3]. */
  dormancyRegen?: [number, number];
  /** Proportional gain of the threshold update. Sundew default 0.5 (reference 0.15; the script 0.0015). */
  adaptKp?: number;
  /** Integral gain. Sundew default 0.002 (reference 0.01; the script 0.00005). */
  adaptKi?: number;
  /** Modeled energy of one activation (also the store cost). Reference 10. */
  energyPerActivation?: number;
  /** Modeled energy of one skip. Reference 0.1. */
  energyPerSkip?: number;
  /** EMA factor of the activation rate. Reference 0.3. */
  emaAlpha?: number;
  /** `batch` (default): steer on each batch's rate. `cumulative`: on the rate since the start (reference). */
  rateWindow?: 'batch' | 'cumulative';
  /** Seed of the gate's generator (sampling and regeneration). Default 0. */
  seed?: number;
}

/** A config with every field present. */
export type ResolvedSundewGateConfig = Required<SundewGateConfig>;

/** Sundew's defaults: the reference values, with gains and rate window that converge (see README). */
export const SUNDEW_DEFAULTS: Readonly<ResolvedSundewGateConfig> = Object.freeze({
  variant: 'standalone',
  activationThreshold: 0.7,
  targetActivationRate: 0.06,
  gateTemperature: 0.15,
  maxEnergy: 100,
  dormancyRegen: [1, 3] as [number, number],
  adaptKp: 0.5,
  adaptKi: 0.002,
  energyPerActivation: 10,
  energyPerSkip: 0.1,
  emaAlpha: 0.3,
  rateWindow: 'batch',
  seed: 0,
});

/**
 * An energy store that sustains a target rate: the store alone caps the rate
 * at mean regeneration / activation cost (20 % with the reference's U(1, 3) and
 * cost 10), so the regeneration range is scaled to sustain twice the target,
 * never below the reference's. At targets up to 10 % it is the reference.
 */
export function energyForRate(
  targetActivationRate: number,
  energyPerActivation = SUNDEW_DEFAULTS.energyPerActivation,
): Pick<ResolvedSundewGateConfig, 'dormancyRegen'> {
  const mean = Math.max(2, 2 * targetActivationRate * energyPerActivation);
  return { dormancyRegen: [mean / 2, (3 * mean) / 2] };
}

/** The original library's configuration, verbatim (cumulative rate, kp 0.15, ki 0.01). */
export const SUNDEW_REFERENCE_CONFIG: Readonly<SundewGateConfig> = Object.freeze({
  ...SUNDEW_DEFAULTS,
  adaptKp: 0.15,
  adaptKi: 0.01,
  rateWindow: 'cumulative',
});

/** The original standalone script's trainer overrides of the reference. */
export const SUNDEW_SCRIPT_CONFIG: Readonly<SundewGateConfig> = Object.freeze({
  ...SUNDEW_REFERENCE_CONFIG,
  activationThreshold: 0.5,
  targetActivationRate: 0.1,
  adaptKp: 0.0015,
  adaptKi: 0.00005,
});

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
  checkKnownKeys(g, config, KNOWN);
  const c = { ...SUNDEW_DEFAULTS, ...config };
  if (c.variant !== 'standalone' && c.variant !== 'library') {
    throw new GateConfigError(
      'variant',
      `${g}: variant must be "standalone" or "library"; received ${JSON.stringify(c.variant)}`,
    );
  }
  if (c.rateWindow !== 'batch' && c.rateWindow !== 'cumulative') {
    throw new GateConfigError(
      'rateWindow',
      `${g}: rateWindow must be "batch" or "cumulative"; received ${JSON.stringify(c.rateWindow)}`,
    );
  }
  const thresholdRange = c.variant === 'library' ? { min: 0.5, max: 10 } : { min: 0, max: 1 };
  return {
    variant: c.variant,
    activationThreshold: checkNumber(g, 'activationThreshold', c.activationThreshold, thresholdRange),
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
    rateWindow: c.rateWindow,
    seed: checkSeed(g, c.seed),
  };
}
