// The page's copy of every run's metrics, grown from the worker's records and
// replaced by the worker's own at each epoch's end (what is exported).
import type { RunMetrics } from '@sundew/types';
import type { RunLabel } from '../run/config.js';
import type { SessionEvent } from '../run/session.js';

export class LiveRuns {
  readonly runs = new Map<RunLabel, RunMetrics>();
  /** tf.memory().numTensors the worker saw at each run's epoch ends. */
  readonly tensorsAtEpochs = new Map<RunLabel, number[]>();

  reset(metrics: RunMetrics[]): void {
    this.runs.clear();
    this.tensorsAtEpochs.clear();
    for (const m of metrics) this.runs.set(m.run.label as RunLabel, m);
  }

  /** The worker's final metrics (the epoch tensor counts are kept). */
  replace(metrics: RunMetrics[]): void {
    for (const m of metrics) this.runs.set(m.run.label as RunLabel, m);
  }

  apply(event: SessionEvent): void {
    const m = this.runs.get(event.run);
    if (!m) return;
    if (event.type === 'batch') m.batches.push(event.record);
    else {
      this.runs.set(event.run, event.metrics);
      if (event.type === 'epoch') {
        const list = this.tensorsAtEpochs.get(event.run) ?? [];
        list.push(event.tensors);
        this.tensorsAtEpochs.set(event.run, list);
      }
    }
  }

  /** AST first (the dashboard's main run), then full training and the random control. */
  ordered(): RunMetrics[] {
    const order: RunLabel[] = ['ast', 'full', 'random'];
    return order.flatMap((l) => (this.runs.has(l) ? [this.runs.get(l)!] : []));
  }
}

/** A metrics.json text as `@sundew/metrics` writes it (NaN stored as null). */
export function metricsText(metrics: RunMetrics): string {
  return `${JSON.stringify(metrics, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
