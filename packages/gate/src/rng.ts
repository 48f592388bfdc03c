import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** The gate's own seeded generator (xoroshiro128+), with a state that JSON can hold. */
export class GateRandom {
  private rng;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  state(): number[] {
    return [...this.rng.getState()];
  }

  restore(state: readonly number[]): void {
    this.rng = xoroshiro128plusFromState(state);
  }
}
