import { area } from 'd3-shape';
import type { Box, DashboardContext } from './dashboard.js';
import type { Point } from './downsample.js';
import { drawLegend, drawLine, drawNote, drawPanel, haloText } from './panel.js';
import { perBatch } from './series.js';
import type { SpeedClaim } from './speed.js';

/**
 * Cumulative modeled energy of the run against what full training would have
 * spent on the same batches, with the modeled saving beside the measured
 * time saving (the two need not agree: the model counts samples, the clock
 * counts seconds).
 */
export function drawEnergyPanel(ctx: DashboardContext, box: Box, claim: SpeedClaim): void {
  const { main, theme } = ctx;
  const metrics = main.metrics;
  let spent = 0;
  let baseline = 0;
  const spentPoints: Point[] = [];
  const basePoints: Point[] = [];
  const xs = perBatch(metrics, () => 0);
  metrics.batches.forEach((b, i) => {
    spent += Number.isFinite(b.energyConsumed) ? b.energyConsumed : 0;
    baseline += Number.isFinite(b.energyBaseline) ? b.energyBaseline : 0;
    spentPoints.push({ x: xs[i]!.x, y: spent / 1000 });
    basePoints.push({ x: xs[i]!.x, y: baseline / 1000 });
  });
  // Both curves are cumulative (monotone): two points per pixel of the panel draw them exactly.
  const [spentDrawn, baseDrawn] = [spentPoints, basePoints].map((p) => thinned(p, 2 * box.width)) as [
    Point[],
    Point[],
  ];
  const panel = drawPanel(
    ctx.svg,
    {
      id: 'energy',
      ...box,
      title: 'Modeled energy: spent vs full training',
      xLabel: 'Epoch',
      yLabel: 'Cumulative energy (thousand units)',
      xDomain: ctx.xDomain,
      yDomain: [0, Math.max(1, baseline / 1000, spent / 1000) * 1.05],
      integerX: true,
    },
    theme,
  );
  panel.g.attr('data-energy-spent', spent).attr('data-energy-baseline', baseline);
  if (metrics.batches.length === 0 || baseline === 0) {
    drawNote(panel, 'no modeled energy recorded', theme);
    return;
  }
  const band = area<[Point, Point]>()
    .x(([s]) => panel.x(s.x))
    .y0(([, b]) => panel.y(b.y))
    .y1(([s]) => panel.y(s.y));
  panel.plot
    .append('path')
    .attr('class', 'saved-area')
    .attr('d', band(spentDrawn.map((s, i) => [s, baseDrawn[i]!])) ?? '')
    .attr('fill', theme.skipped)
    .attr('fill-opacity', 0.7);
  drawLine(panel, baseDrawn, { color: theme.full, dash: '8 4', className: 'energy-baseline' });
  drawLine(panel, spentDrawn, { color: main.color, className: 'energy-spent' });
  const saved = (100 * (baseline - spent)) / baseline;
  const lines = [
    main.role === 'full'
      ? 'full training skips nothing: 0% saved'
      : `modeled energy saved: ${saved.toFixed(1)}%`,
    main.role === 'full'
      ? ''
      : claim.vsFull !== null
        ? `measured time saved vs full: ${(100 * (1 - 1 / claim.vsFull)).toFixed(0)}% per epoch`
        : 'measured time saved vs full: not measured',
  ].filter(Boolean);
  lines.forEach((line, i) => {
    haloText(panel.plot, 10, 22 + i * 20, line)
      .attr('class', 'energy-note')
      .attr('font-size', 14)
      .attr('font-weight', i === 0 ? 'bold' : 'normal');
  });
  drawLegend(
    panel,
    [
      { label: 'full training would spend', color: theme.full, dash: '8 4' },
      { label: `${main.name} spent`, color: main.color },
    ],
    'bottom',
  );
}

/** At most `keep` points, evenly spaced by index, the first and the last kept (the same indices for equal lengths). */
function thinned(points: Point[], keep: number): Point[] {
  const n = points.length;
  const k = Math.max(2, Math.floor(keep));
  if (n <= k) return points;
  return Array.from({ length: k }, (_, j) => points[Math.round((j * (n - 1)) / (k - 1))]!);
}
