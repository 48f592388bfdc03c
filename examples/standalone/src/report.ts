import { summarizeRun } from '@sundew/metrics';
import type { RunMetrics } from '@sundew/types';

const pct = (x: number | null): string =>
  x === null || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`;

/** Mean seconds of complete epochs, or null. */
const epochSeconds = (m: RunMetrics): number | null => {
  const s = summarizeRun(m).meanEpochSeconds;
  return Number.isFinite(s) ? s : null;
};

/**
 * The end report: one row per run (accuracy, activation, modeled energy saved,
 * seconds per epoch) and the measured compute saved and speed-up of AST over
 * full training — ratios of timings taken in this same process.
 */
export function endReport(runs: { full: RunMetrics; ast: RunMetrics; random: RunMetrics }): string {
  const rows = [['run', 'val acc', 'activation', 'energy saved', 's / epoch', 'training s']];
  for (const m of [runs.full, runs.ast, runs.random]) {
    const s = summarizeRun(m);
    const sec = epochSeconds(m);
    rows.push([
      m.run.label,
      pct(s.finalValAccuracy),
      pct(s.activationRate),
      `${s.energySavedPercent.toFixed(1)}%`,
      sec === null ? 'n/a' : sec.toFixed(1),
      s.trainSeconds.toFixed(1),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const full = epochSeconds(runs.full);
  const ast = epochSeconds(runs.ast);
  if (full !== null && ast !== null) {
    lines.push('', `compute saved by AST (1 − AST time / full time, per epoch): ${pct(1 - ast / full)}`);
    lines.push(`speed-up of AST over full training: ${(full / ast).toFixed(2)}× (both measured in this run)`);
  } else {
    lines.push('', 'speed-up of AST over full training: not measured (no complete epoch)');
  }
  const sampleTiming = runs.ast.baselines.find((b) => b.mode === 'sample');
  if (sampleTiming && ast !== null) {
    lines.push(
      `sample-by-sample: ${sampleTiming.epochSeconds.toFixed(0)} s / epoch, extrapolated from ${sampleTiming.measuredBatches} of ` +
        `${sampleTiming.batchesPerEpoch} batches (${(sampleTiming.epochSeconds / ast).toFixed(1)}× slower than batched AST)`,
    );
  }
  return lines.join('\n');
}
