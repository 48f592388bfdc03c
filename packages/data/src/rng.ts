import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A generator for one (seed, stream…) coordinate: the same coordinates always give the same draws. */
export function streamRandom(...keys: number[]): () => number {
  let h = 0x9e3779b9;
  for (const k of keys) h = Math.imul(h ^ (k | 0), 0x85ebca6b) ^ (Math.imul(h, 0xc2b2ae35) >>> 13);
  const rng = xoroshiro128plus(h | 0);
  return () => uniformFloat64(rng);
}

/** Fisher–Yates shuffle of 0..n−1. */
export function permutation(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
