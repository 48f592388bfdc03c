import type { RunMetrics } from '@sundew/types';
import { percent, times } from './format.js';
import { datasetOf, roleOf } from './roles.js';
import { completeEpochSeconds, speedBars, speedClaim, speedupOver } from './speed.js';
import { createFigure, type Root } from './svg.js';
import type { FigureOptions } from './theme.js';

const signed = (d: number) => `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`;

/** The headline numbers of a run, as measured (null = not measured). */
export function headline(metrics: RunMetrics) {
  const seen = metrics.epochs.reduce((s, e) => s + e.samplesProcessed + e.samplesSkipped, 0);
  const trained = metrics.epochs.reduce((s, e) => s + e.samplesProcessed, 0);
  const consumed = metrics.batches.reduce((s, b) => s + b.energyConsumed, 0);
  const baseline = metrics.batches.reduce((s, b) => s + b.energyBaseline, 0);
  const lastAcc = [...metrics.epochs].reverse().find((e) => e.valAccuracy !== null)?.valAccuracy ?? null;
  const batchSizes = metrics.batches.map((b) => b.batchSize);
  return {
    speedupVsFull: speedupOver(speedBars(metrics), 'full'),
    astEpochSeconds: metrics.run.mode === 'sparse' ? completeEpochSeconds(metrics) : null,
    energySavedPercent: baseline > 0 ? (100 * (baseline - consumed)) / baseline : null,
    activationRate: seen > 0 ? trained / seen : null,
    targetActivationRate: metrics.run.targetActivationRate ?? null,
    finalAccuracy: lastAcc,
    batchSize: batchSizes.length > 0 ? Math.max(...batchSizes) : null,
    meanActive: metrics.batches.length > 0 ? trained / metrics.batches.length : null,
  };
}

function box(
  svg: Root,
  x: number,
  y: number,
  w: number,
  h: number,
  title: string,
  sub: string,
  color: string,
  id: string,
) {
  const g = svg.append('g').attr('class', 'stage').attr('data-stage', id);
  g.append('rect')
    .attr('x', x)
    .attr('y', y)
    .attr('width', w)
    .attr('height', h)
    .attr('rx', 12)
    .attr('fill', color)
    .attr('fill-opacity', 0.15)
    .attr('stroke', color)
    .attr('stroke-width', 2.5);
  g.append('text')
    .attr('x', x + w / 2)
    .attr('y', y + h / 2 - 6)
    .attr('text-anchor', 'middle')
    .attr('font-size', 17)
    .attr('font-weight', 'bold')
    .text(title);
  g.append('text')
    .attr('x', x + w / 2)
    .attr('y', y + h / 2 + 18)
    .attr('text-anchor', 'middle')
    .attr('font-size', 14)
    .attr('fill', '#444')
    .text(sub);
}

function arrow(svg: Root, x1: number, x2: number, y: number, color: string) {
  svg
    .append('line')
    .attr('x1', x1)
    .attr('x2', x2 - 10)
    .attr('y1', y)
    .attr('y2', y)
    .attr('stroke', color)
    .attr('stroke-width', 3);
  svg.append('path').attr('d', `M${x2},${y} l-12,-7 l0,14 z`).attr('fill', color);
}

/**
 * The architecture diagram: Input Batch → Vectorized Significance → Sundew
 * Gating → Active Mask → Batched Training, the three key ideas, and the
 * headline numbers of the run it is drawn for (never fixed claims).
 */
export function architectureDiagram(
  metrics: RunMetrics,
  options: FigureOptions & { compare?: readonly RunMetrics[] } = {},
): string {
  const { svg, serialize, theme, width } = createFigure(options, {
    width: 1700,
    height: 760,
    title: 'Batched Adaptive Sparse Training with the Sundew gate',
    titleY: 42,
  });
  const h = headline(metrics);
  const B = h.batchSize !== null ? String(h.batchSize) : 'B';
  const N = h.meanActive !== null ? `N ≈ ${h.meanActive.toFixed(1)}` : 'N';
  // tfjs lays images out NHWC: [batch, height, width, channels].
  const shape = datasetOf(metrics)?.shape;
  const input = shape ? `[${B}, ${shape.join(', ')}]` : `[${B}, H, W, C]`;
  const claim = speedClaim(
    metrics,
    (options.compare ?? []).map((m) => ({ role: roleOf(m), metrics: m })),
  );
  const stages = [
    ['input', 'Input Batch', input, theme.full],
    ['significance', 'Vectorized Significance', `scores [${B}]`, theme.series[4]!],
    ['gating', 'Sundew Gating', 'threshold + energy tracking', theme.target],
    ['mask', 'Active Mask', `[${B}] → [${N}]`, theme.series[3]!],
    ['training', 'Batched Training', `one step on [${N}]`, theme.ast],
  ] as const;
  const bw = 260;
  const gap = (width - 80 - stages.length * bw) / (stages.length - 1);
  const y = 110;
  stages.forEach(([id, title, sub, color], i) => {
    const x = 40 + i * (bw + gap);
    box(svg, x, y, bw, 110, title, sub, color, id);
    if (i > 0) arrow(svg, x - gap + 4, x - 4, y + 55, '#555');
  });
  const ideas = [
    [
      'Single scoring forward',
      'one no-gradient pass scores the whole batch',
      '(or none: stale losses reuse the last step)',
    ],
    [
      'Boolean-mask gather',
      'the active samples are gathered into one',
      'smaller batch: no masked full-batch loss',
    ],
    [
      'Batched parallel step',
      'one forward + backward + AdamW step on',
      'the gathered batch, never sample by sample',
    ],
  ] as const;
  const iw = (width - 80 - 2 * 40) / 3;
  ideas.forEach(([title, a, b], i) => {
    const x = 40 + i * (iw + 40);
    const g = svg.append('g').attr('class', 'key-idea');
    g.append('rect')
      .attr('x', x)
      .attr('y', 280)
      .attr('width', iw)
      .attr('height', 120)
      .attr('rx', 10)
      .attr('fill', '#f5f7fa')
      .attr('stroke', '#b8c2cc');
    g.append('text')
      .attr('x', x + 20)
      .attr('y', 318)
      .attr('font-size', 18)
      .attr('font-weight', 'bold')
      .text(`✓ ${title}`);
    g.append('text')
      .attr('x', x + 20)
      .attr('y', 350)
      .attr('font-size', 14)
      .text(a);
    g.append('text')
      .attr('x', x + 20)
      .attr('y', 374)
      .attr('font-size', 14)
      .text(b);
  });
  const stats = [
    [
      'speedup',
      'Speed-up per epoch vs full training',
      h.speedupVsFull !== null ? times(h.speedupVsFull) : 'not measured',
    ],
    [
      'energy',
      'Modeled energy saved',
      h.energySavedPercent !== null ? `${h.energySavedPercent.toFixed(1)}%` : 'not measured',
    ],
    [
      'activation',
      `Activation rate${h.targetActivationRate !== null ? ` (target ${percent(h.targetActivationRate)})` : ''}`,
      percent(h.activationRate),
    ],
    [
      'accuracy',
      'Final validation accuracy',
      h.finalAccuracy !== null ? percent(h.finalAccuracy) : 'no validation',
    ],
  ] as const;
  const sw = (width - 80 - 3 * 30) / 4;
  svg
    .append('text')
    .attr('x', 40)
    .attr('y', 460)
    .attr('font-size', 18)
    .attr('font-weight', 'bold')
    .text(
      `Measured in this run (${metrics.run.label}, ${metrics.epochs.length} epoch${metrics.epochs.length === 1 ? '' : 's'}, ${metrics.environment.backend} backend)`,
    );
  const notes: Record<string, string> = {
    speedup:
      h.speedupVsFull === null
        ? ''
        : claim.full !== null && claim.ast !== null
          ? `at ${signed(100 * (claim.ast - claim.full))} accuracy points (${percent(claim.ast)} vs ${percent(claim.full)}, epoch ${claim.epochs})`
          : "full training's accuracy: not measured",
    accuracy:
      claim.epochs !== null && (claim.full !== null || claim.random !== null)
        ? [
            claim.full !== null ? `full ${percent(claim.full)}` : '',
            claim.random !== null ? `random ${percent(claim.random)}` : '',
          ]
            .filter(Boolean)
            .join(', ') + ` after ${claim.epochs} epochs`
        : '',
  };
  stats.forEach(([id, label, value], i) => {
    const x = 40 + i * (sw + 30);
    const g = svg.append('g').attr('class', 'headline').attr('data-stat', id).attr('data-value', value);
    g.append('rect')
      .attr('x', x)
      .attr('y', 480)
      .attr('width', sw)
      .attr('height', 130)
      .attr('rx', 10)
      .attr('fill', theme.highlight)
      .attr('stroke', theme.target);
    g.append('text')
      .attr('x', x + sw / 2)
      .attr('y', 535)
      .attr('text-anchor', 'middle')
      .attr('font-size', 34)
      .attr('font-weight', 'bold')
      .text(value);
    g.append('text')
      .attr('x', x + sw / 2)
      .attr('y', 572)
      .attr('text-anchor', 'middle')
      .attr('font-size', 15)
      .attr('fill', '#444')
      .text(label);
    const note = notes[id];
    if (note)
      g.append('text')
        .attr('class', 'stat-note')
        .attr('x', x + sw / 2)
        .attr('y', 596)
        .attr('text-anchor', 'middle')
        .attr('font-size', Math.min(13, (sw - 16) / (0.55 * note.length)).toFixed(1))
        .attr('fill', '#444')
        .text(note);
  });
  svg
    .append('text')
    .attr('x', 40)
    .attr('y', 660)
    .attr('font-size', 13)
    .attr('fill', theme.muted)
    .text(
      'Speed-up = full-training seconds per epoch ÷ AST seconds per epoch, both measured on this machine; "not measured" when no full run was timed beside this one.',
    );
  svg
    .append('text')
    .attr('x', 40)
    .attr('y', 684)
    .attr('font-size', 13)
    .attr('fill', theme.muted)
    .text('Energy is modeled (10 per trained sample, 0.1 per skipped one), not metered.');
  return serialize();
}
