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
