import type { BaselineTiming, RunMetrics } from '@sundew/types';

/**
 * The epoch timing another run measured, as a baseline for this one's speed
 * bars: the mean of its complete epochs, or — for a run timed on a few batches
 * (sample mode) — its seconds per batch × the batches of a complete epoch,
 * marked as extrapolated. Null when the run has nothing to time.
 */
export function baselineFrom(run: RunMetrics, source?: string): BaselineTiming | null {
  const complete = run.epochs.filter((e) => !e.partial && e.epochSeconds > 0);
  const where = source ? { source } : {};
  if (complete.length > 0) {
    return {
      mode: run.run.mode,
      epochSeconds: complete.reduce((s, e) => s + e.epochSeconds, 0) / complete.length,
      ...where,
    };
  }
  const partial = run.epochs.filter((e) => e.batches > 0 && e.epochSeconds > 0);
  const perEpoch = run.run.batchesPerEpoch;
  if (partial.length === 0 || perEpoch === undefined) return null;
  const batches = partial.reduce((s, e) => s + e.batches, 0);
  const seconds = partial.reduce((s, e) => s + e.epochSeconds, 0);
  return {
    mode: run.run.mode,
    epochSeconds: (seconds / batches) * perEpoch,
    measuredBatches: batches,
    batchesPerEpoch: perEpoch,
    ...where,
  };
}

/** `metrics` with baselines taken from other runs of other modes (existing baselines win). */
export function withBaselines(
  metrics: RunMetrics,
  others: { run: RunMetrics; source: string }[],
): RunMetrics {
  const out = structuredClone(metrics);
  for (const { run, source } of others) {
    if (run.run.mode === out.run.mode || out.baselines.some((b) => b.mode === run.run.mode)) continue;
    const baseline = baselineFrom(run, source);
    if (baseline) out.baselines.push(baseline);
  }
  return out;
}
