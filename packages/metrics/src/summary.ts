import type { RunMetrics } from '@sundew/types';

/** The numbers an end report or a figure headline needs, all derived from a run's records. */
export interface RunSummary {
  label: string;
  mode: RunMetrics['run']['mode'];
  epochs: number;
  /** Validation accuracy (0–1) after the last validated epoch, null if never validated. */
  finalValAccuracy: number | null;
  bestValAccuracy: number | null;
  /** Balanced validation accuracy (mean per-class recall) after the last validated epoch, null if not measured. */
  finalValBalancedAccuracy: number | null;
  /** Samples trained on / samples seen, over the whole run. */
  activationRate: number;
  targetActivationRate: number | null;
  /** Modeled energy saved over the whole run, percent. */
  energySavedPercent: number;
  samplesProcessed: number;
  samplesSkipped: number;
  /** Samples put through a scoring forward (no gradient); 0 when none were or older files. */
  samplesScored: number;
  /**
   * The run's compute in a unit that does not drift with the machine: sample
   * passes = samples trained (one forward + backward each) + samples scored by a
   * forward alone, counted as ⅓ (a backward costs about two forwards).
   */
  samplePasses: number;
  /** Training seconds (validation excluded). */
  trainSeconds: number;
  /** Mean seconds of the complete (non-partial) epochs; NaN if none. */
  meanEpochSeconds: number;
  /**
   * Epoch seconds of a full-training baseline measured beside this run divided
   * by this run's mean epoch seconds; null when no full baseline was measured.
   */
  speedupVsFull: number | null;
}

/** Summarise a run from its epoch records and baselines (nothing is assumed that was not recorded). */
export function summarizeRun(metrics: RunMetrics): RunSummary {
  const epochs = metrics.epochs;
  const validated = epochs.filter((e) => e.valAccuracy !== null);
  const complete = epochs.filter((e) => !e.partial);
  const processed = epochs.reduce((s, e) => s + e.samplesProcessed, 0);
  const skipped = epochs.reduce((s, e) => s + e.samplesSkipped, 0);
  const consumedShare = epochs.reduce(
    (s, e) => s + (e.samplesProcessed + e.samplesSkipped) * (1 - e.energySavedPercent / 100),
    0,
  );
  const seen = processed + skipped;
  const scored = epochs.reduce((s, e) => s + (e.samplesScored ?? 0), 0);
  const meanEpochSeconds =
    complete.length > 0 ? complete.reduce((s, e) => s + e.epochSeconds, 0) / complete.length : Number.NaN;
  const full = metrics.baselines.find((b) => b.mode === 'full');
  return {
    label: metrics.run.label,
    mode: metrics.run.mode,
    epochs: epochs.length,
    finalValAccuracy: validated.at(-1)?.valAccuracy ?? null,
    bestValAccuracy: validated.length > 0 ? Math.max(...validated.map((e) => e.valAccuracy!)) : null,
    finalValBalancedAccuracy: validated.at(-1)?.valBalancedAccuracy ?? null,
    activationRate: seen > 0 ? processed / seen : 0,
    targetActivationRate: metrics.run.targetActivationRate ?? null,
    energySavedPercent: seen > 0 ? 100 * (1 - consumedShare / seen) : 0,
    samplesProcessed: processed,
    samplesSkipped: skipped,
    samplesScored: scored,
    samplePasses: samplePasses(processed, scored),
    trainSeconds: epochs.reduce((s, e) => s + e.epochSeconds, 0),
    meanEpochSeconds,
    speedupVsFull:
      full && Number.isFinite(meanEpochSeconds) && meanEpochSeconds > 0
        ? full.epochSeconds / meanEpochSeconds
        : null,
  };
}

/** Sample passes of a run (see `RunSummary.samplePasses`): trained samples plus ⅓ of the forward-only scored ones. */
export function samplePasses(trained: number, scored: number): number {
  return trained + scored / 3;
}
