import type { RunMetrics } from '@sundew/types';
import { downsampleMinMax, type Point } from './downsample.js';
import { percent } from './format.js';
import {
  drawLegend,
  drawLine,
  drawNote,
  drawPanel,
  drawTargetLine,
  niceDomain,
  type Panel,
} from './panel.js';
import { nameOf } from './roles.js';
import { createFigure } from './svg.js';
import type { FigureOptions } from './theme.js';

/**
 * Where the gate clamps its threshold: `config.thresholdRange` when the run
 * recorded it, else the range of the named Sundew gate (`sundew` [−1, 1] in
 * quantile space, the original script's gates [0, 1], the library's
 * [0.5, 10]); null for gates without a threshold range.
 */
export function thresholdRangeOf(metrics: RunMetrics): [number, number] | null {
  const recorded = metrics.run.config['thresholdRange'];
  if (Array.isArray(recorded) && recorded.length === 2 && recorded.every((v) => typeof v === 'number'))
    return [recorded[0] as number, recorded[1] as number];
  const gate = metrics.run.config['gate'];
  if (metrics.run.mode === 'full' || typeof gate !== 'string' || !gate.startsWith('sundew')) return null;
  if (gate === 'sundew-library') return [0.5, 10];
  return gate === 'sundew' ? [-1, 1] : [0, 1];
}

/**
 * Threshold and activation rate per batch (two stacked panels): every batch
 * drawn (min/max per pixel for long runs, so the saw-tooth shows), the
 * threshold's clamp limits, the target, each epoch's mean rate and labelled
 * epoch boundaries.
 */
export function thresholdAdaptation(metrics: RunMetrics, options: FigureOptions = {}): string {
  const { svg, serialize, theme, width, height } = createFigure(options, {
    width: 1400,
    height: 820,
    title: `Threshold adaptation per batch — ${nameOf(metrics)}`,
  });
  const batches = metrics.batches;
  const n = batches.length;
  const xDomain: [number, number] = n > 1 ? [0, n - 1] : [0, 1];
  const buckets = Math.max(50, Math.floor(width / 2));
  const thresholds: Point[] = batches.map((b, i) => ({ x: i, y: b.threshold }));
  const rates = batches.map((b) => (b.batchSize > 0 ? (100 * b.activated) / b.batchSize : Number.NaN));
  const target = metrics.run.targetActivationRate;
  const range = thresholdRangeOf(metrics);
  const starts = batches.flatMap((b, i) => (i === 0 || b.epoch !== batches[i - 1]!.epoch ? [i] : []));
  const ph = (height - 60) / 2;
  const finiteThresholds = thresholds.map((p) => p.y).filter(Number.isFinite);
  const top = drawPanel(
    svg,
    {
      id: 'threshold',
      x: 0,
      y: 60,
      width,
      height: ph,
      title: 'Gate threshold per batch',
      xLabel: 'Batch',
      yLabel: 'Threshold',
      xDomain,
      yDomain: niceDomain(
        [...finiteThresholds, ...(range && finiteThresholds.length > 0 ? range : [])],
        [0, 1],
      ),
    },
    theme,
  );
  const bottom = drawPanel(
    svg,
    {
      id: 'rate',
      x: 0,
      y: 60 + ph,
      width,
      height: ph,
      title: 'Activation rate per batch',
      xLabel: 'Batch',
      yLabel: 'Activated (%)',
      xDomain,
      yDomain: [0, Math.min(100, Math.max(10, ...rates.filter(Number.isFinite), 100 * (target ?? 0)) * 1.3)],
    },
    theme,
  );
  for (const panel of [top, bottom])
    drawEpochs(
      panel,
      starts,
      batches.map((b) => b.epoch),
      n,
    );
  if (finiteThresholds.length === 0)
    drawNote(top, n === 0 ? 'no batches recorded' : 'this gate has no threshold', theme);
  else {
    if (range) {
      drawTargetLine(top, range[1], '', theme.muted, { className: 'limit' });
      drawTargetLine(top, range[0], '', theme.muted, { className: 'limit' });
    }
    drawLine(top, downsampleMinMax(thresholds, buckets), {
      color: theme.text,
      width: 1.6,
      className: 'threshold',
    });
    drawLegend(
      top,
      [
        { label: 'threshold of each batch', color: theme.text, width: 1.6 },
        ...(range
          ? [{ label: `the gate's limits: ${range[0]} and ${range[1]}`, color: theme.muted, dash: '7 4' }]
          : []),
      ],
      'bottom',
    );
  }
  if (n === 0) {
    drawNote(bottom, 'no batches recorded', theme);
    return serialize();
  }
  if (target !== undefined) drawTargetLine(bottom, 100 * target, '', theme.target);
  const means = metrics.epochs.flatMap((e) => {
    const s = starts[e.epoch];
    if (s === undefined) return [];
    const end = starts[e.epoch + 1] ?? n;
    return [
      { x: s, y: 100 * e.activationRate },
      { x: Math.max(s, end - 1), y: 100 * e.activationRate },
      { x: end - 1, y: Number.NaN },
    ];
  });
  drawLine(bottom, means, { color: theme.target, width: 1.2, className: 'epoch-rate', dash: '1 0' });
  drawLine(
    bottom,
    downsampleMinMax(
      rates.map((y, x) => ({ x, y })),
      buckets,
    ),
    { color: theme.ast, width: 1.6, className: 'raw-rate' },
  );
  drawLegend(bottom, [
    { label: 'each batch', color: theme.ast, width: 1.6 },
    { label: 'epoch mean', color: theme.target, width: 1.2 },
    ...(target !== undefined
      ? [{ label: `target ${percent(target)} (the run's setting)`, color: theme.target, dash: '7 4' }]
      : []),
  ]);
  return serialize();
}

/** Dotted epoch boundaries with "epoch N" over each epoch (every k-th when there are many). */
function drawEpochs(panel: Panel, starts: number[], epochOf: number[], n: number): void {
  const g = panel.plot.append('g').attr('class', 'epoch-boundaries');
  const every = Math.max(1, Math.ceil(starts.length / 12));
  starts.forEach((s, i) => {
    if (i > 0)
      g.append('line')
        .attr('x1', panel.x(s))
        .attr('x2', panel.x(s))
        .attr('y1', 0)
        .attr('y2', panel.innerHeight)
        .attr('stroke', '#999999')
        .attr('stroke-dasharray', '2 4');
    if (i % every !== 0) return;
    const end = starts[i + 1] ?? n;
    g.append('text')
      .attr('class', 'epoch-label')
      .attr('x', panel.x((s + end - 1) / 2))
      .attr('y', -6)
      .attr('text-anchor', 'middle')
      .attr('font-size', 12)
      .attr('fill', '#666666')
      .text(`epoch ${epochOf[s]! + 1}`);
  });
}
