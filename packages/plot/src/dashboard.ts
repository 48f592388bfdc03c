import type { RunMetrics } from '@sundew/types';
import { downsampleMinMax } from './downsample.js';
import { drawEnergyPanel } from './energy-panel.js';
import { finite, percent } from './format.js';
import { drawLegend, drawLine, drawNote, drawPanel, drawTargetLine, niceDomain } from './panel.js';
import { datasetOf } from './roles.js';
import { drawSamplesPanel } from './samples-panel.js';
import { accuracyByEpoch, type DrawnRun, drawnRuns, lastFinite, perBatch } from './series.js';
import { accuracyBeside, speedClaim } from './speed.js';
import { drawSpeedPanel } from './speed-panel.js';
import { createFigure, type Root } from './svg.js';
import { type FigureOptions, type Theme, themeOf } from './theme.js';

/** Options of the dashboard: the runs it is compared with (full training, random control). */
export interface DashboardOptions extends FigureOptions {
  /** Runs drawn beside this one on the loss, accuracy and samples panels. */
  compare?: readonly RunMetrics[];
}

/** Where a panel sits. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What every dashboard panel is drawn from. */
export interface DashboardContext {
  svg: Root;
  theme: Theme;
  main: DrawnRun;
  runs: DrawnRun[];
  /** Epoch axis every time-series panel shares. */
  xDomain: [number, number];
}

/**
 * The seed's six-panel training dashboard, each panel with its own
 * information: loss (per batch and validation), validation accuracy of every
 * run on a 0–100 % axis with the chance level, activation per batch vs the
 * target, cumulative modeled energy vs full training, seconds per epoch with
 * the speed-up beside the accuracy it came with, samples trained vs skipped
 * per run.
 */
export function trainingDashboard(metrics: RunMetrics, options: DashboardOptions = {}): string {
  const runs = drawnRuns([metrics, ...(options.compare ?? [])], themeOf(options));
  const main = runs[0]!;
  const others = runs.slice(1);
  const title =
    others.length > 0
      ? `Training results: ${main.name} vs ${others.map((r) => r.name).join(' and ')}`
      : `Training results: ${main.name}`;
  const { svg, serialize, theme, width, height } = createFigure(options, { width: 1500, height: 900, title });
  const claim = speedClaim(
    metrics,
    others.map((r) => ({ role: r.role, metrics: r.metrics })),
  );
  const context = [
    String(metrics.run.config['dataset'] ?? '').replace(/\/train$/, ''),
    metrics.run.trainSamples ? `${metrics.run.trainSamples.toLocaleString('en')} training images` : '',
    `${metrics.epochs.length} epoch${metrics.epochs.length === 1 ? '' : 's'}`,
    `${metrics.environment.backend} backend`,
  ].filter(Boolean);
  const headline =
    metrics.run.mode === 'sparse' && claim.vsFull !== null
      ? `AST ${claim.vsFull.toFixed(2)}× less time per epoch than full training, ${accuracyBeside(claim)}`
      : '';
  svg
    .append('text')
    .attr('class', 'figure-subtitle')
    .attr('x', width / 2)
    .attr('y', 62)
    .attr('text-anchor', 'middle')
    .attr('font-size', 15)
    .attr('fill', theme.muted)
    .text([context.join(', '), headline].filter(Boolean).join(' · '));
  const top = 78;
  const pw = width / 3;
  const ph = (height - top) / 2;
  const at = (i: number): Box => ({
    x: (i % 3) * pw,
    y: top + Math.floor(i / 3) * ph,
    width: pw,
    height: ph,
  });
  const epochsMax = Math.max(1, ...runs.flatMap((r) => r.metrics.epochs.map((e) => e.epoch + 1)));
  const ctx: DashboardContext = { svg, theme, main, runs, xDomain: [0, epochsMax] };
  drawLossPanel(ctx, at(0));
  drawAccuracyPanel(ctx, at(1));
  drawActivationPanel(ctx, at(2));
  drawEnergyPanel(ctx, at(3), claim);
  drawSpeedPanel(ctx, at(4), claim);
  drawSamplesPanel(ctx, at(5));
  return serialize();
}

function drawLossPanel(ctx: DashboardContext, box: Box): void {
  const { main, runs, theme } = ctx;
  const train = perBatch(main.metrics, (b) => b.loss);
  const vals = runs.map((r) => ({
    run: r,
    points: r.metrics.epochs.map((e) => ({ x: e.epoch + 1, y: e.valLoss ?? Number.NaN })),
  }));
  const all = [...finite(train.map((p) => p.y)), ...vals.flatMap((v) => finite(v.points.map((p) => p.y)))];
  const panel = drawPanel(
    ctx.svg,
    {
      id: 'loss',
      ...box,
      title: 'Loss',
      xLabel: 'Epoch',
      yLabel: 'Cross-entropy',
      xDomain: ctx.xDomain,
      // Headroom for the legend above the curves.
      yDomain: [0, all.length > 0 ? Math.max(...all) * 1.5 : 1],
      integerX: true,
    },
    theme,
  );
  if (all.length === 0) {
    drawNote(panel, 'no loss recorded', theme);
    return;
  }
  drawLine(panel, downsampleMinMax(train, Math.floor(panel.innerWidth / 2)), {
    color: main.color,
    width: 1,
    className: 'train-loss',
  });
  for (const v of vals) {
    if (finite(v.points.map((p) => p.y)).length === 0) continue;
    drawLine(panel, v.points, {
      color: v.run.color,
      width: 2.5,
      markers: true,
      className: 'val-loss',
      ...(v.run.dash ? { dash: v.run.dash } : {}),
    });
  }
  drawLegend(panel, [
    {
      label: `${main.name}: training loss per batch${main.role === 'full' ? '' : ' (trained samples)'}`,
      color: main.color,
      width: 1,
    },
    ...vals
      .filter((v) => finite(v.points.map((p) => p.y)).length > 0)
      .map((v) => ({
        label: `${v.run.name}: validation loss`,
        color: v.run.color,
        marker: true,
        ...(v.run.dash ? { dash: v.run.dash } : {}),
      })),
  ]);
}

function drawAccuracyPanel(ctx: DashboardContext, box: Box): void {
  const { runs, theme } = ctx;
  const dataset = datasetOf(ctx.main.metrics);
  const panel = drawPanel(
    ctx.svg,
    {
      id: 'accuracy',
      ...box,
      title: 'Validation accuracy',
      xLabel: 'Epoch',
      yLabel: 'Accuracy (%)',
      xDomain: ctx.xDomain,
      // The whole scale: a zoomed axis turns a 4-point gain into a cliff.
      yDomain: [0, 100],
      integerX: true,
    },
    theme,
  );
  if (dataset) {
    drawTargetLine(
      panel,
      100 / dataset.classes,
      `chance ${(100 / dataset.classes).toFixed(0)}%`,
      theme.muted,
      {
        side: 'left',
        className: 'chance',
      },
    );
  }
  const labels: { y: number; text: string; color: string; dash?: string }[] = [];
  for (const r of runs) {
    const points = accuracyByEpoch(r.metrics);
    if (finite(points.map((p) => p.y)).length === 0) continue;
    drawLine(panel, points, {
      color: r.color,
      markers: true,
      className: 'run',
      ...(r.dash ? { dash: r.dash } : {}),
    });
    const last = lastFinite(points)!;
    labels.push({
      y: last.y,
      text: `${r.name}: ${last.y.toFixed(1)}% after ${last.x} epoch${last.x === 1 ? '' : 's'}`,
      color: r.color,
      ...(r.dash ? { dash: r.dash } : {}),
    });
  }
  if (labels.length === 0) drawNote(panel, 'no validation', theme);
  else {
    // The final values, best first, in the empty band between the chance level and the curves.
    labels.sort((a, b) => b.y - a.y);
    const lowest = Math.min(...runs.flatMap((r) => finite(accuracyByEpoch(r.metrics).map((p) => p.y))));
    const below = panel.y(lowest) + 14;
    const fits = below + labels.length * 20 + 8 < panel.y(100 / (dataset?.classes ?? 50)) - 4;
    drawLegend(
      panel,
      labels.map((l) => ({
        label: l.text,
        color: l.color,
        marker: true,
        ...(l.dash ? { dash: l.dash } : {}),
      })),
      'bottom',
      fits ? below : undefined,
    );
  }
}

function drawActivationPanel(ctx: DashboardContext, box: Box): void {
  const { main, theme } = ctx;
  const metrics = main.metrics;
  const target = metrics.run.targetActivationRate;
  const rates = perBatch(metrics, (b) => (b.batchSize > 0 ? (100 * b.activated) / b.batchSize : Number.NaN));
  const means = metrics.epochs.flatMap((e) => [
    { x: e.epoch, y: 100 * e.activationRate },
    { x: e.epoch + 1, y: 100 * e.activationRate },
    { x: e.epoch + 1, y: Number.NaN },
  ]);
  const values = [...finite(rates.map((p) => p.y)), ...(target !== undefined ? [100 * target] : [])];
  const hi = values.length > 0 ? Math.min(100, Math.max(...values) * 1.4) : 100;
  const panel = drawPanel(
    ctx.svg,
    {
      id: 'activation',
      ...box,
      title: 'Activation rate vs target',
      xLabel: 'Epoch',
      yLabel: 'Samples trained on (%)',
      xDomain: ctx.xDomain,
      yDomain: niceDomain([0, hi], [0, 100], 0).map((v, i) => (i === 0 ? 0 : v)) as [number, number],
      integerX: true,
    },
    theme,
  );
  if (metrics.batches.length === 0) {
    drawNote(panel, 'no batches recorded', theme);
    return;
  }
  drawLine(panel, downsampleMinMax(rates, Math.floor(panel.innerWidth / 2)), {
    color: theme.series[4]!,
    width: 1,
    className: 'batch-rate',
  });
  drawLine(panel, means, { color: main.color, width: 3, className: 'epoch-rate' });
  if (target !== undefined) drawTargetLine(panel, 100 * target, '', theme.target);
  else if (metrics.run.mode === 'full') drawNote(panel, 'full training: every sample, no target', theme);
  drawLegend(
    panel,
    [
      { label: 'per batch', color: theme.series[4]!, width: 1 },
      { label: 'epoch mean', color: main.color },
      ...(target !== undefined
        ? [{ label: `target ${percent(target)} (the run's setting)`, color: theme.target, dash: '7 4' }]
        : []),
    ],
    'top',
  );
}
