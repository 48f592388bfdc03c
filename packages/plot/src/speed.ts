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

/** Validation accuracy (0–1) of a run after `epochs` complete epochs, when that epoch was validated. */
export function accuracyAfter(metrics: RunMetrics, epochs: number): number | null {
  const e = metrics.epochs.find((r) => r.epoch === epochs - 1 && !r.partial);
  return e?.valAccuracy ?? null;
}

/**
 * A speed claim with the accuracy it came with: AST's seconds per epoch
 * against full training's (and sample-by-sample's), beside the validation
 * accuracy of AST, full training and the random control after the same
 * number of epochs. Every field is measured or null.
 */
export interface SpeedClaim {
  vsFull: number | null;
  vsSample: number | null;
  /** Epochs the accuracies are taken after (AST's last validated complete epoch). */
  epochs: number | null;
  ast: number | null;
  full: number | null;
  random: number | null;
}

/** The speed claim of an AST run given the runs it was compared with (`roleOf` finds full and random). */
export function speedClaim(
  metrics: RunMetrics,
  references: readonly { role: string; metrics: RunMetrics }[],
): SpeedClaim {
  const bars = speedBars(metrics);
  const astRun = metrics.run.mode === 'sparse' ? metrics : references.find((r) => r.role === 'ast')?.metrics;
  const validated = astRun?.epochs.filter((e) => !e.partial && e.valAccuracy !== null) ?? [];
  const epochs = validated.length > 0 ? validated[validated.length - 1]!.epoch + 1 : null;
  const at = (run: RunMetrics | undefined) => (run && epochs !== null ? accuracyAfter(run, epochs) : null);
  const fullRun = metrics.run.mode === 'full' ? metrics : references.find((r) => r.role === 'full')?.metrics;
  return {
    vsFull: speedupOver(bars, 'full'),
    vsSample: speedupOver(bars, 'sample'),
    epochs,
    ast: at(astRun),
    full: at(fullRun),
    random: at(references.find((r) => r.role === 'random')?.metrics),
  };
}

/** "72.3% vs 77.9% for full training after 3 epochs (−5.6 points)", or what was not measured. */
export function accuracyBeside(claim: SpeedClaim): string {
  if (claim.epochs === null || claim.ast === null) return 'AST accuracy: not validated';
  const after = `after ${claim.epochs} epoch${claim.epochs === 1 ? '' : 's'}`;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  if (claim.full === null) return `AST ${pct(claim.ast)} ${after}; full training's accuracy: not measured`;
  const d = 100 * (claim.ast - claim.full);
  const sign = d >= 0 ? '+' : '−';
  return `at ${pct(claim.ast)} vs ${pct(claim.full)} for full training ${after} (${sign}${Math.abs(d).toFixed(1)} points)`;
}
