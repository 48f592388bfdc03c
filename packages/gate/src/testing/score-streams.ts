import type { Gate } from '@sundew/types';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Stationary score distributions in [0, 1] used to check the controller. */
export const scoreDistributions = {
  uniform: (u: () => number) => u(),
  /** Bell-shaped around 0.5 (mean of four uniforms: sd ≈ 0.14). */
  bell: (u: () => number) => (u() + u() + u() + u()) / 4,
  /** Most mass low, long tail toward 1. */
  skewedLow: (u: () => number) => u() ** 3,
  /** Most mass high. */
  skewedHigh: (u: () => number) => 1 - u() ** 3,
  /** All scores within 0.45–0.55. */
  narrow: (u: () => number) => 0.45 + 0.1 * u(),
} as const;

export type ScoreDistribution = keyof typeof scoreDistributions;

/** `count` batches of `size` scores drawn from a distribution with a seed. */
export function* scoreStream(
  distribution: ScoreDistribution,
  options: { seed: number; batches: number; batchSize: number },
): Generator<Float32Array> {
  const rng = xoroshiro128plus(options.seed);
  const u = (): number => uniformFloat64(rng);
  const draw = scoreDistributions[distribution];
  for (let b = 0; b < options.batches; b++) {
    yield Float32Array.from({ length: options.batchSize }, () => draw(u));
  }
}

/**
 * Feed a gate `to` batches of a stream and measure its activation rate over
 * batches [from, to), and the threshold's range over the whole run.
 */
export function measureActivation(
  gate: Gate,
  distribution: ScoreDistribution,
  options: { seed: number; from: number; to: number; batchSize?: number },
): { rate: number; thresholdMin: number; thresholdMax: number } {
  let active = 0;
  let seen = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let b = 0;
  for (const scores of scoreStream(distribution, {
    seed: options.seed,
    batches: options.to,
    batchSize: options.batchSize ?? 128,
  })) {
    const mask = gate.decide(scores);
    const t = gate.stats().threshold;
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
    if (b >= options.from) {
      active += mask.reduce((n, m) => n + m, 0);
      seen += scores.length;
    }
    b++;
  }
  return { rate: active / seen, thresholdMin: lo, thresholdMax: hi };
}
