/** A two-component Gaussian mixture of per-sample losses: the well-fitted and the poorly fitted. */
export interface LossMixture {
  /** Weight, mean and standard deviation of the low-loss and the high-loss component. */
  low: { weight: number; mean: number; sd: number };
  high: { weight: number; mean: number; sd: number };
  /** Ashman's D = √2 · |μ_high − μ_low| / √(σ_low² + σ_high²): above 2 the mixture has two modes. */
  separation: number;
}

/**
 * Fit two 1-D Gaussians to `losses` (finite values only) by EM, started at the
 * 25th and 90th percentiles (DivideMix's clean/noisy split of per-sample
 * losses). Null with fewer than 16 finite values or no spread.
 */
export function fitLossMixture(losses: ArrayLike<number>, iterations = 20): LossMixture | null {
  const xs = Float64Array.from(Array.prototype.filter.call(losses, Number.isFinite) as number[]).sort();
  const n = xs.length;
  if (n < 16) return null;
  const at = (p: number) => xs[Math.min(n - 1, Math.floor(p * n))]!;
  let total = 0;
  for (const x of xs) total += x;
  const mean = total / n;
  let variance = 0;
  for (const x of xs) variance += (x - mean) ** 2;
  variance /= n;
  if (!(variance > 1e-12)) return null;
  const floor = 1e-4 * variance + 1e-8;
  let [w0, m0, v0] = [0.5, at(0.25), variance / 4];
  let [w1, m1, v1] = [0.5, at(0.9), variance / 4];
  if (m1 <= m0) m1 = m0 + Math.sqrt(variance);
  for (let it = 0; it < iterations; it++) {
    let [s0, s1, x0, x1, q0, q1] = [0, 0, 0, 0, 0, 0];
    for (const x of xs) {
      const r = posteriorHigh(x, w0, m0, v0, w1, m1, v1);
      s1 += r;
      s0 += 1 - r;
      x1 += r * x;
      x0 += (1 - r) * x;
      q1 += r * x * x;
      q0 += (1 - r) * x * x;
    }
    if (s0 < 1e-9 || s1 < 1e-9) break;
    m0 = x0 / s0;
    m1 = x1 / s1;
    v0 = Math.max(floor, q0 / s0 - m0 * m0);
    v1 = Math.max(floor, q1 / s1 - m1 * m1);
    w0 = s0 / n;
    w1 = s1 / n;
  }
  if (m1 < m0) [w0, m0, v0, w1, m1, v1] = [w1, m1, v1, w0, m0, v0];
  return {
    low: { weight: w0, mean: m0, sd: Math.sqrt(v0) },
    high: { weight: w1, mean: m1, sd: Math.sqrt(v1) },
    separation: (Math.SQRT2 * (m1 - m0)) / Math.sqrt(v0 + v1),
  };
}

/**
 * P(high-loss component | loss) under a mixture, made monotone in the loss:
 * 0 at or below the low mean (a wide high component's far left tail does not
 * count), and never below its value at the high mean above it.
 */
export function highLossPosterior(m: LossMixture, loss: number): number {
  if (loss <= m.low.mean) return 0;
  const p = (x: number) =>
    posteriorHigh(x, m.low.weight, m.low.mean, m.low.sd ** 2, m.high.weight, m.high.mean, m.high.sd ** 2);
  return loss >= m.high.mean ? Math.max(p(loss), p(m.high.mean)) : p(loss);
}

function posteriorHigh(x: number, w0: number, m0: number, v0: number, w1: number, m1: number, v1: number) {
  // Log densities, so far tails do not underflow to 0/0.
  const l0 = Math.log(w0) - 0.5 * Math.log(v0) - ((x - m0) * (x - m0)) / (2 * v0);
  const l1 = Math.log(w1) - 0.5 * Math.log(v1) - ((x - m1) * (x - m1)) / (2 * v1);
  return 1 / (1 + Math.exp(l0 - l1));
}
