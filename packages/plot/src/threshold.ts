import type { RunMetrics } from '@sundew/types';
import { downsampleMinMax, type Point, rollingMean } from './downsample.js';
import { percent } from './format.js';
import { drawLegend, drawLine, drawNote, drawPanel, drawTargetLine, niceDomain } from './panel.js';
import { createFigure } from './svg.js';
import type { FigureOptions } from './theme.js';

/**
 * Threshold and activation rate per batch (two stacked panels), with the
 * target, a rolling mean and epoch boundaries. Long histories are reduced to
 * per-pixel minima and maxima before drawing.
 */
export function thresholdAdaptation(metrics: RunMetrics, options: FigureOptions = {}): string {
  const { svg, serialize, theme, width, height } = createFigure(options, {
    width: 1600,
    height: 900,
    title: `Threshold adaptation — ${metrics.run.label}`,
  });
  const batches = metrics.batches;
  const n = batches.length;
  const xDomain: [number, number] = n > 1 ? [0, n - 1] : [0, 1];
  const buckets = Math.max(50, Math.floor(width / 2));
  const thresholds: Point[] = batches.map((b, i) => ({ x: i, y: b.threshold }));
  const rates = batches.map((b) => (b.batchSize > 0 ? (100 * b.activated) / b.batchSize : Number.NaN));
  const window = Math.max(5, Math.round(n / 100));
  const rolling = rollingMean(rates, window);
  const target = metrics.run.targetActivationRate;
  const boundaries = batches.flatMap((b, i) => (i > 0 && b.epoch !== batches[i - 1]!.epoch ? [i] : []));
  const ph = (height - 60) / 2;
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
        thresholds.map((p) => p.y),
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
      yDomain: niceDomain([...rates, ...(target !== undefined ? [100 * target] : []), 0], [0, 100]),
    },
    theme,
  );
  for (const panel of [top, bottom]) {
    panel.plot
      .append('g')
      .attr('class', 'epoch-boundaries')
      .selectAll('line')
      .data(boundaries)
      .join('line')
      .attr('x1', (i) => panel.x(i))
      .attr('x2', (i) => panel.x(i))
      .attr('y1', 0)
      .attr('y2', panel.innerHeight)
      .attr('stroke', '#bbbbbb')
      .attr('stroke-dasharray', '2 4');
  }
  if (thresholds.every((p) => !Number.isFinite(p.y)))
    drawNote(top, n === 0 ? 'no batches recorded' : 'this gate has no threshold', theme);
  else drawLine(top, downsampleMinMax(thresholds, buckets), { color: theme.target, width: 1.5 });
  if (n === 0) drawNote(bottom, 'no batches recorded', theme);
  else {
    drawLine(
      bottom,
      downsampleMinMax(
        rates.map((y, x) => ({ x, y })),
        buckets,
      ),
      { color: theme.series[4]!, width: 1, className: 'raw-rate' },
    );
    drawLine(
      bottom,
      downsampleMinMax(
        rolling.map((y, x) => ({ x, y })),
        buckets,
      ),
      { color: theme.ast, width: 2.5, className: 'rolling-rate' },
    );
    if (target !== undefined) drawTargetLine(bottom, 100 * target, `target ${percent(target)}`, theme.target);
    drawLegend(bottom, [
      { label: 'per batch', color: theme.series[4]! },
      { label: `rolling mean (${window} batches)`, color: theme.ast },
    ]);
  }
  return serialize();
}
