import type { BaselineTiming, RunMetrics, TrainingMode } from '@sundew/types';

/** One bar of the speed panel: measured seconds per epoch, or why there is none. */
export interface SpeedBar {
  mode: TrainingMode;
  label: string;
  seconds: number | null;
  /** e.g. "extrapolated from 5 of 47 batches", "this run", "not measured". */
  detail: string;
}

/** Mean seconds of the run's complete epochs, or null when it has none. */
export function completeEpochSeconds(metrics: RunMetrics): number | null {
  const complete = metrics.epochs.filter((e) => !e.partial && Number.isFinite(e.epochSeconds));
  return complete.length > 0 ? complete.reduce((s, e) => s + e.epochSeconds, 0) / complete.length : null;
}

const describe = (b: BaselineTiming): string =>
  b.measuredBatches !== undefined && b.batchesPerEpoch !== undefined && b.measuredBatches < b.batchesPerEpoch
    ? `extrapolated from ${b.measuredBatches} of ${b.batchesPerEpoch} batches`
    : 'measured';

/**
 * The three bars of the seed's speed panel — full training, sample-by-sample,
 * AST — from this run and the baselines measured beside it. Nothing is filled
 * in that was not measured.
 */
export function speedBars(metrics: RunMetrics): SpeedBar[] {
  const labels: Record<TrainingMode, string> = {
    full: 'Full training',
    sample: 'Sample-by-sample',
    sparse: 'AST (Sundew)',
  };
  return (['full', 'sample', 'sparse'] as const).map((mode) => {
    if (metrics.run.mode === mode) {
      const seconds = completeEpochSeconds(metrics);
      return {
        mode,
        label: labels[mode],
        seconds,
        detail: seconds === null ? 'no complete epoch' : 'this run',
      };
    }
    const baseline = metrics.baselines.find((b) => b.mode === mode);
    return baseline
      ? { mode, label: labels[mode], seconds: baseline.epochSeconds, detail: describe(baseline) }
      : { mode, label: labels[mode], seconds: null, detail: 'not measured' };
  });
}

/** Seconds per epoch of `over` divided by AST's, when both were measured. */
export function speedupOver(bars: SpeedBar[], over: TrainingMode): number | null {
  const ast = bars.find((b) => b.mode === 'sparse')?.seconds ?? null;
  const other = bars.find((b) => b.mode === over)?.seconds ?? null;
  return ast !== null && other !== null && ast > 0 ? other / ast : null;
}
