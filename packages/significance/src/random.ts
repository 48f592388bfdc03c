import type { JsonObject, SignificanceScorer } from '@sundew/types';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** State of the random scorer: its generator. */
export interface RandomScorerState extends JsonObject {
  rng: number[];
}

/** Uniform scores in [0, 1) from a seeded generator: the control every claim is compared with. */
export class RandomScorer implements SignificanceScorer<RandomScorerState> {
  readonly name = 'random';
  readonly needs = { forward: false } as const;
  private rng;

  constructor(options: { seed?: number } = {}) {
    this.rng = xoroshiro128plus(options.seed ?? 0);
  }

  score(batch: { indices: Int32Array }): Float32Array {
    return Float32Array.from(batch.indices, () => uniformFloat64(this.rng));
  }

  state(): RandomScorerState {
    return { rng: [...this.rng.getState()] };
  }

  restore(state: RandomScorerState): void {
    this.rng = xoroshiro128plusFromState(state.rng);
  }
}
