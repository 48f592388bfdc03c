/** Learning-rate schedule settings. */
export interface ScheduleOptions {
  /** Peak learning rate. */
  lr: number;
  /** `cosine` (default): anneal to `minLr` over the run; `constant`. */
  schedule?: 'cosine' | 'constant';
  minLr?: number;
  /** Share of the run (0–1) spent warming up linearly from 0. Default 0. */
  warmupFraction?: number;
}

/**
 * The learning rate at run progress p ∈ [0, 1] (SPEC "The trainer": cosine
 * annealing over the run, optional linear warm-up). Progress is epochs done /
 * epochs, or elapsed / budget for a wall-clock budget, so every mode follows the
 * same curve whatever its number of steps.
 */
export function learningRateAt(progress: number, o: ScheduleOptions): number {
  const p = Math.min(1, Math.max(0, progress));
  const warm = o.warmupFraction ?? 0;
  if (warm > 0 && p < warm) return (o.lr * p) / warm;
  if ((o.schedule ?? 'cosine') === 'constant') return o.lr;
  const q = warm > 0 ? (p - warm) / (1 - warm) : p;
  const min = o.minLr ?? 0;
  return min + 0.5 * (o.lr - min) * (1 + Math.cos(Math.PI * q));
}
