import type { RunMetrics } from '@sundew/types';
import type { Point } from './downsample.js';
import { nameOf, type RunRole, roleOf, styleOf } from './roles.js';
import type { Theme } from './theme.js';

/** A run as a figure draws it: its metrics, role, name and line style. */
export interface DrawnRun {
  metrics: RunMetrics;
  role: RunRole;
  name: string;
  color: string;
  dash?: string;
}

/** The runs of a figure, each with its role, name and style. */
export function drawnRuns(runs: readonly RunMetrics[], theme: Theme): DrawnRun[] {
  return runs.map((metrics, i) => {
    const role = roleOf(metrics);
    return { metrics, role, name: nameOf(metrics), ...styleOf(role, theme, i) };
  });
}

/**
 * Per-batch values on an epoch axis: batch b of epoch e (of n batches) sits
 * at e + (b + 1) / n, so a 2-epoch run draws every batch, not two points.
 */
export function perBatch(metrics: RunMetrics, value: (b: RunMetrics['batches'][number]) => number): Point[] {
  const counts = new Map<number, number>();
  for (const b of metrics.batches) counts.set(b.epoch, Math.max(counts.get(b.epoch) ?? 0, b.batch + 1));
  return metrics.batches.map((b) => {
    const n = metrics.run.batchesPerEpoch ?? counts.get(b.epoch) ?? 1;
    return { x: b.epoch + (b.batch + 1) / Math.max(n, counts.get(b.epoch) ?? 1), y: value(b) };
  });
}

/** Validation accuracy (percent) at the end of each epoch, x = epochs done. */
export const accuracyByEpoch = (metrics: RunMetrics): Point[] =>
  metrics.epochs.map((e) => ({
    x: e.epoch + 1,
    y: e.valAccuracy === null ? Number.NaN : 100 * e.valAccuracy,
  }));

/** The last finite point of a series. */
export const lastFinite = (points: readonly Point[]): Point | undefined =>
  [...points].reverse().find((p) => Number.isFinite(p.y) && Number.isFinite(p.x));
