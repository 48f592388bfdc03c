/**
 * Counter-based dropout masks: element i of the mask with seed s is kept when
 * hash(s, i) ≥ rate·2³² — the same hash as csrc/sundew_kernels.c, so the WASM
 * kernels and the plain tfjs ops on any other backend drop the same elements.
 */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** What a kernel takes for a dropout rate and a user seed. */
export interface DropoutParams {
  /** Hashed seed (u32). */
  seed: number;
  /** rate·2³² (u32); 0 means no dropout. */
  threshold: number;
  /** 1 / (1 − rate). */
  invKeep: number;
}

/** Turn a rate in [0, 1) and any integer seed into kernel parameters. */
export function dropoutParams(rate: number, seed: number): DropoutParams {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1); received ${rate}`);
  return {
    seed: mix32(Math.imul(seed | 0, 0x85ebca6b) ^ 0x5bd1e995),
    threshold: Math.min(0xffffffff, Math.floor(rate * 2 ** 32)),
    invKeep: 1 / (1 - rate),
  };
}

/** The mask as 0 or 1/(1 − rate) per element, for backends without the kernels. */
export function dropoutMask(n: number, p: DropoutParams): Float32Array {
  const out = new Float32Array(n);
  if (p.threshold === 0) return out.fill(1);
  for (let i = 0; i < n; i++) {
    out[i] = mix32((Math.imul(i, 0x9e3779b9) + p.seed) >>> 0) >= p.threshold ? p.invKeep : 0;
  }
  return out;
}
