/**
 * Scores → their quantiles in the stream: each finite or infinite score
 * becomes (its rank + ½) / n among the batch's scores and the last `window`
 * scores before it, so the quantiles of a batch are spread evenly over [0, 1]
 * whatever the scores' scale, spread or ties. Ties are broken by a random key
 * per sample (`tieKeys`, uniform in [0, 1)): a block of equal scores is put in
 * a random order. NaN scores get NaN.
 */
export class StreamQuantiles {
  /** The last `window` non-NaN scores, oldest first, and the same values sorted. */
  private readonly recent: number[] = [];
  private readonly sorted: number[] = [];

  constructor(private readonly window: number) {}

  /** Quantiles of `scores` (written into `out`), then the batch joins the window. */
  transform(scores: Float32Array, tieKeys: Float64Array, out: Float64Array): void {
    const idx: number[] = [];
    for (let i = 0; i < scores.length; i++) {
      if (Number.isNaN(scores[i]!)) out[i] = Number.NaN;
      else idx.push(i);
    }
    idx.sort((a, b) => compare(scores[a]!, scores[b]!) || tieKeys[a]! - tieKeys[b]!);
    const h = this.sorted.length;
    const n = idx.length + h;
    for (let r = 0; r < idx.length; r++) {
      const i = idx[r]!;
      const s = scores[i]!;
      // Past scores below this one, and a random share of those equal to it.
      const below = h === 0 ? 0 : lowerBound(this.sorted, s);
      const equal = h === 0 ? 0 : upperBound(this.sorted, s) - below;
      out[i] = (below + tieKeys[i]! * equal + r + 0.5) / n;
    }
    if (this.window > 0) this.remember(scores, idx);
  }

  private remember(scores: Float32Array, idx: number[]): void {
    for (const i of idx) {
      const s = scores[i]!;
      this.recent.push(s);
      this.sorted.splice(upperBound(this.sorted, s), 0, s);
    }
    while (this.recent.length > this.window) {
      const old = this.recent.shift()!;
      this.sorted.splice(lowerBound(this.sorted, old), 1);
    }
  }

  /** The window as JSON (±∞ as the strings "Infinity" / "-Infinity", which JSON numbers cannot hold). */
  state(): (number | string)[] {
    return this.recent.map((s) => (Number.isFinite(s) ? s : String(s)));
  }

  restore(recent: readonly (number | string)[]): void {
    this.recent.length = 0;
    this.sorted.length = 0;
    this.recent.push(...recent.map(Number));
    this.sorted.push(...[...this.recent].sort(compare));
  }
}

/** Total order on non-NaN numbers, −∞ and +∞ included. */
function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
