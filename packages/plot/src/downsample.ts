/** A drawable point: NaN y means a gap. */
export interface Point {
  x: number;
  y: number;
}

/**
 * Reduce a long series to at most `buckets` × 2 points, keeping each bucket's
 * minimum and maximum (so spikes survive), in x order. Buckets with only NaN
 * keep one NaN point, so gaps stay gaps.
 */
export function downsampleMinMax(points: readonly Point[], buckets: number): Point[] {
  if (points.length <= 2 * buckets) return [...points];
  const out: Point[] = [];
  const size = points.length / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(points.length, Math.floor((b + 1) * size));
    let lo: Point | null = null;
    let hi: Point | null = null;
    for (let i = start; i < end; i++) {
      const p = points[i]!;
      if (!Number.isFinite(p.y)) continue;
      if (!lo || p.y < lo.y) lo = p;
      if (!hi || p.y > hi.y) hi = p;
    }
    if (!lo || !hi) out.push({ x: points[start]!.x, y: Number.NaN });
    else if (lo === hi) out.push(lo);
    else out.push(...(lo.x < hi.x ? [lo, hi] : [hi, lo]));
  }
  return out;
}

/** Rolling mean over a trailing window (NaN values skipped). */
export function rollingMean(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
    if (i >= window) {
      const old = values[i - window]!;
      if (Number.isFinite(old)) {
        sum -= old;
        n--;
      }
    }
    out.push(n > 0 ? sum / n : Number.NaN);
  }
  return out;
}
