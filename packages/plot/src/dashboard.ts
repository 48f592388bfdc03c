import type { RunMetrics } from '@sundew/types';
import * as d3 from 'd3';
import { finite, percent, seconds, times } from './format.js';
import { drawLine, drawNote, drawPanel, drawTargetLine, niceDomain, type Panel } from './panel.js';
import { speedBars, speedupOver } from './speed.js';
import { createFigure } from './svg.js';
import type { FigureOptions, Theme } from './theme.js';

/**
 * The seed's six-panel training dashboard: training loss, validation accuracy,
 * activation rate vs target, energy savings vs target, time per epoch (full /
 * sample-by-sample / AST, measured bars only) and processed vs skipped samples.
 */
export function trainingDashboard(metrics: RunMetrics, options: FigureOptions = {}): string {
  const { svg, serialize, theme, width, height } = createFigure(options, {
    width: 1800,
    height: 1040,
    title: `Adaptive Sparse Training — ${metrics.run.label} (${metrics.run.mode})`,
  });
  const pw = width / 3;
  const ph = (height - 60) / 2;
  const at = (i: number) => ({ x: (i % 3) * pw, y: 60 + Math.floor(i / 3) * ph, width: pw, height: ph });
  const epochs = metrics.epochs;
  const xs = epochs.map((e) => e.epoch + 1);
  const xDomain: [number, number] = xs.length > 1 ? [Math.min(...xs), Math.max(...xs)] : [0.5, 1.5];
  const target = metrics.run.targetActivationRate;

  // 1. Training loss.
  const loss = epochs.map((e) => ({ x: e.epoch + 1, y: e.trainLoss }));
  const lossPanel = drawPanel(
    svg,
    {
      id: 'loss',
      ...at(0),
      title: 'Training loss',
      xLabel: 'Epoch',
      yLabel: 'Loss',
      xDomain,
      yDomain: niceDomain(finite(loss.map((p) => p.y)), [0, 1]),
      integerX: true,
    },
    theme,
  );
  if (finite(loss.map((p) => p.y)).length === 0) drawNote(lossPanel, 'no training loss recorded', theme);
  else drawLine(lossPanel, loss, { color: theme.full, markers: epochs.length <= 40 });

  // 2. Validation accuracy.
  const acc = epochs.map((e) => ({
    x: e.epoch + 1,
    y: e.valAccuracy === null ? Number.NaN : 100 * e.valAccuracy,
  }));
  const accValues = finite(acc.map((p) => p.y));
  const accPanel = drawPanel(
    svg,
    {
      id: 'accuracy',
      ...at(1),
      title: 'Validation accuracy',
      xLabel: 'Epoch',
      yLabel: 'Accuracy (%)',
      xDomain,
      yDomain: niceDomain(accValues, [0, 100]),
      integerX: true,
    },
    theme,
  );
  if (accValues.length === 0) drawNote(accPanel, 'no validation', theme);
  else {
    drawLine(accPanel, acc, { color: theme.ast, markers: epochs.length <= 40 });
    const last = [...acc].reverse().find((p) => Number.isFinite(p.y))!;
    accPanel.plot
      .append('text')
      .attr('class', 'value-label')
      .attr('x', accPanel.x(last.x))
      .attr('y', accPanel.y(last.y) - 10)
      .attr('text-anchor', epochs.length > 1 ? 'end' : 'middle')
      .attr('font-size', 13)
      .text(`${last.y.toFixed(1)}%`);
  }

  // 3. Activation rate vs target.
  const rate = epochs.map((e) => ({ x: e.epoch + 1, y: 100 * e.activationRate }));
  const ratePanel = drawPanel(
    svg,
    {
      id: 'activation',
      ...at(2),
      title: 'Activation rate',
      xLabel: 'Epoch',
      yLabel: 'Samples trained on (%)',
      xDomain,
      yDomain: niceDomain(
        [...finite(rate.map((p) => p.y)), ...(target !== undefined ? [100 * target, 0] : [0])],
        [0, 100],
      ),
      integerX: true,
    },
    theme,
  );
  if (target !== undefined)
    drawTargetLine(ratePanel, 100 * target, `target ${percent(target)}`, theme.target);
  drawLine(ratePanel, rate, { color: theme.ast, markers: epochs.length <= 40 });

  // 4. Energy savings per epoch (bars) vs target.
  const saved = epochs.map((e) => e.energySavedPercent);
  const energyPanel = drawPanel(
    svg,
    {
      id: 'energy',
      ...at(3),
      title: 'Modeled energy savings per epoch',
      xLabel: 'Epoch',
      yLabel: 'Energy saved (%)',
      xDomain: [xDomain[0] - 0.5, xDomain[1] + 0.5],
      yDomain: [0, 100],
      integerX: true,
    },
    theme,
  );
  const barWidth = Math.max(2, Math.min(60, (energyPanel.innerWidth / Math.max(1, epochs.length)) * 0.7));
  energyPanel.plot
    .append('g')
    .attr('class', 'bars')
    .selectAll('rect')
    .data(epochs.filter((e) => Number.isFinite(e.energySavedPercent)))
    .join('rect')
    .attr('x', (e) => energyPanel.x(e.epoch + 1) - barWidth / 2)
    .attr('width', barWidth)
    .attr('y', (e) => energyPanel.y(Math.max(0, e.energySavedPercent)))
    .attr('height', (e) => energyPanel.innerHeight - energyPanel.y(Math.max(0, e.energySavedPercent)))
    .attr('fill', theme.ast)
    .attr('fill-opacity', 0.8);
  if (target !== undefined)
    drawTargetLine(
      energyPanel,
      100 * (1 - target),
      `target ${(100 * (1 - target)).toFixed(0)}%`,
      theme.target,
    );
  if (saved.length === 0) drawNote(energyPanel, 'no epochs', theme);

  drawSpeedPanel(svg, at(4), metrics, theme);
  drawSamplesPanel(svg, at(5), metrics, theme);
  return serialize();
}

function drawSpeedPanel(
  svg: Parameters<typeof drawPanel>[0],
  box: { x: number; y: number; width: number; height: number },
  metrics: RunMetrics,
  theme: Theme,
): void {
  const bars = speedBars(metrics);
  const measured = finite(bars.map((b) => b.seconds));
  const max = measured.length > 0 ? Math.max(...measured) : 1;
  const panel: Panel = drawPanel(
    svg,
    {
      id: 'speed',
      ...box,
      title: 'Training time per epoch',
      xLabel: '',
      yLabel: 'Seconds per epoch',
      xDomain: [0, 3],
      yDomain: [0, max * 1.25],
    },
    theme,
  );
  panel.plot.select('.x-axis').selectAll('.tick').remove();
  const slot = panel.innerWidth / 3;
  const colors = { full: theme.full, sample: theme.sample, sparse: theme.ast } as const;
  bars.forEach((bar, i) => {
    const cx = slot * (i + 0.5);
    const g = panel.plot.append('g').attr('class', 'speed-bar').attr('data-mode', bar.mode);
    g.append('text')
      .attr('x', cx)
      .attr('y', panel.innerHeight + 20)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .text(bar.label);
    g.append('text')
      .attr('x', cx)
      .attr('y', panel.innerHeight + 36)
      .attr('text-anchor', 'middle')
      .attr('font-size', 11)
      .attr('fill', theme.muted)
      .text(bar.detail);
    if (bar.seconds === null) {
      g.attr('data-measured', 'false');
      g.append('rect')
        .attr('x', cx - slot * 0.3)
        .attr('width', slot * 0.6)
        .attr('y', panel.innerHeight * 0.35)
        .attr('height', panel.innerHeight * 0.65)
        .attr('fill', 'none')
        .attr('stroke', theme.muted)
        .attr('stroke-dasharray', '6 4');
      g.append('text')
        .attr('class', 'not-measured')
        .attr('x', cx)
        .attr('y', panel.innerHeight * 0.68)
        .attr('text-anchor', 'middle')
        .attr('font-size', 14)
        .attr('fill', theme.muted)
        .text('not measured');
      return;
    }
    g.attr('data-measured', 'true').attr('data-seconds', bar.seconds);
    g.append('rect')
      .attr('x', cx - slot * 0.3)
      .attr('width', slot * 0.6)
      .attr('y', panel.y(bar.seconds))
      .attr('height', panel.innerHeight - panel.y(bar.seconds))
      .attr('fill', colors[bar.mode]);
    g.append('text')
      .attr('class', 'bar-value')
      .attr('x', cx)
      .attr('y', panel.y(bar.seconds) - 6)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .text(seconds(bar.seconds));
  });
  const vsFull = speedupOver(bars, 'full');
  const vsSample = speedupOver(bars, 'sample');
  const lines = [
    vsFull !== null
      ? `${times(vsFull)} faster than full training`
      : 'speed-up vs full training: not measured',
    vsSample !== null ? `${times(vsSample)} vs sample-by-sample` : null,
  ].filter((l): l is string => l !== null);
  const box2 = panel.plot
    .append('g')
    .attr('class', 'speedup')
    .attr('data-speedup-full', vsFull ?? 'not measured');
  const w = Math.max(...lines.map((l) => l.length)) * 8 + 24;
  box2
    .append('rect')
    .attr('x', panel.innerWidth - w - 4)
    .attr('y', 4)
    .attr('width', w)
    .attr('height', lines.length * 20 + 12)
    .attr('rx', 6)
    .attr('fill', theme.highlight)
    .attr('stroke', theme.target);
  lines.forEach((line, i) => {
    box2
      .append('text')
      .attr('x', panel.innerWidth - w / 2 - 4)
      .attr('y', 24 + i * 20)
      .attr('text-anchor', 'middle')
      .attr('font-size', 14)
      .attr('font-weight', i === 0 ? 'bold' : 'normal')
      .text(line);
  });
}

function drawSamplesPanel(
  svg: Parameters<typeof drawPanel>[0],
  box: { x: number; y: number; width: number; height: number },
  metrics: RunMetrics,
  theme: Theme,
): void {
  const processed = metrics.epochs.reduce((s, e) => s + e.samplesProcessed, 0);
  const skipped = metrics.epochs.reduce((s, e) => s + e.samplesSkipped, 0);
  const total = processed + skipped;
  const g = svg
    .append('g')
    .attr('transform', `translate(${box.x},${box.y})`)
    .attr('data-panel', 'samples')
    .attr('data-processed', processed)
    .attr('data-skipped', skipped);
  g.append('text')
    .attr('x', box.width / 2)
    .attr('y', 24)
    .attr('text-anchor', 'middle')
    .attr('font-size', 16)
    .attr('font-weight', 'bold')
    .text('Samples processed vs skipped');
  const r = Math.min(box.width, box.height) * 0.3;
  const cx = box.width * 0.36;
  const cy = box.height * 0.55;
  if (total === 0) {
    g.append('text')
      .attr('x', box.width / 2)
      .attr('y', cy)
      .attr('text-anchor', 'middle')
      .attr('fill', theme.muted)
      .text('no samples');
    return;
  }
  const slices = [
    { label: 'Trained on', value: processed, color: theme.full },
    { label: 'Skipped', value: skipped, color: theme.skipped },
  ];
  const arcs = d3
    .pie<(typeof slices)[number]>()
    .sort(null)
    .value((d) => d.value)(slices);
  const arc = d3.arc<d3.PieArcDatum<(typeof slices)[number]>>().innerRadius(0).outerRadius(r);
  const pie = g.append('g').attr('transform', `translate(${cx},${cy})`);
  pie
    .selectAll('path')
    .data(arcs)
    .join('path')
    .attr('d', arc)
    .attr('fill', (d) => d.data.color)
    .attr('stroke', 'white')
    .attr('stroke-width', 2);
  slices.forEach((s, i) => {
    const y = cy - 20 + i * 44;
    const x = cx + r + 30;
    g.append('rect')
      .attr('x', x)
      .attr('y', y - 14)
      .attr('width', 18)
      .attr('height', 18)
      .attr('fill', s.color);
    g.append('text')
      .attr('x', x + 26)
      .attr('y', y)
      .attr('font-size', 14)
      .text(`${s.label}: ${percent(s.value / total)}`);
    g.append('text')
      .attr('x', x + 26)
      .attr('y', y + 18)
      .attr('font-size', 12)
      .attr('fill', theme.muted)
      .text(`${s.value.toLocaleString('en')} samples`);
  });
}
