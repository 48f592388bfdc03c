import { finite } from './format.js';
import { methodColor as colorOf, dashOf, METHOD_LABELS } from './methods.js';
import { drawLegend, drawLine, drawNote, drawPanel, drawTargetLine } from './panel.js';
import { createFigure } from './svg.js';
import type { FigureOptions } from './theme.js';

/** One run's validation accuracy at each epoch end, against a cost (sample passes, CPU-seconds, …). */
export interface AccuracyCurve {
  /** `full`, `full-tuned`, `ast`, `random` (any other name is drawn too). */
  method: string;
  seed: number;
  /** x: the cost so far; accuracy: 0–1. */
  points: readonly { x: number; accuracy: number }[];
}

/** An accuracy every run of a seed is timed to (full training's plateau, 99 % of it). */
export interface AccuracyTarget {
  seed: number;
  /** 0–1. */
  accuracy: number;
  label: string;
}

/** Options of `timeToAccuracy`: a figure's, and what the x axis counts. */
export interface TimeToAccuracyOptions extends FigureOptions {
  /** Default: sample passes. */
  xLabel?: string;
}

/**
 * Validation accuracy against cost, one panel per seed, with the accuracies
 * the runs are timed to: each run's curve (a dot per validation), a ring where
 * it first reaches the seed's first target. The accuracy axis is zoomed to the
 * targets (it says where it starts); the early epochs below it are cut off.
 */
export function timeToAccuracy(
  curves: readonly AccuracyCurve[],
  targets: readonly AccuracyTarget[],
  options: TimeToAccuracyOptions = {},
): string {
  const seeds = [...new Set(curves.map((c) => c.seed))].sort((a, b) => a - b);
  const { svg, serialize, theme, width, height } = createFigure(options, {
    // Panels of at least 560 px: below that the axis label and the legend run into the next panel.
    width: seeds.length > 2 ? 560 * seeds.length : seeds.length > 1 ? 1400 : 900,
    height: 600,
    title: 'Time to full training’s accuracy',
  });
  const methods = [...new Set(curves.map((c) => c.method))];
  const accs = finite(curves.flatMap((c) => c.points.map((p) => 100 * p.accuracy)));
  const goals = targets.map((t) => 100 * t.accuracy);
  const top = accs.length > 0 ? Math.max(...accs, ...goals) : 100;
  // From a few points below the lowest target (or the curves' lowest when there is none): where the race is.
  const floorAt = goals.length > 0 ? Math.min(...goals) - 6 : Math.min(...accs, top - 1);
  const yDomain: [number, number] = [Math.floor(floorAt), Math.ceil(top + 0.5)];
  const xMax = Math.max(1, ...curves.flatMap((c) => c.points.map((p) => p.x)));
  const panelWidth = width / Math.max(1, seeds.length);
  const step = 50;
  seeds.forEach((seed, s) => {
    const panel = drawPanel(
      svg,
      {
        id: `seed-${seed}`,
        x: s * panelWidth,
        y: step,
        width: panelWidth,
        height: height - step,
        title: `Seed ${seed}`,
        xLabel:
          options.xLabel ??
          // Three panels or more are narrower: the shorter wording fits one.
          (seeds.length > 2
            ? 'Sample passes (trained + 1/3 of those scored by a forward alone)'
            : 'Sample passes (samples trained + 1/3 of those scored by a forward alone)'),
        yLabel: `Validation accuracy (%), axis from ${yDomain[0]}%`,
        xDomain: [0, xMax * 1.03],
        yDomain,
      },
      theme,
    );
    // Lines that leave the zoomed axis are cut at its edge, not drawn over the labels.
    const clip = `clip-seed-${seed}`;
    panel.g
      .append('clipPath')
      .attr('id', clip)
      .append('rect')
      .attr('width', panel.innerWidth)
      .attr('height', panel.innerHeight);
    const plot = panel.plot.append('g').attr('clip-path', `url(#${clip})`);
    const clipped = { ...panel, plot };
    const mine = targets.filter((t) => t.seed === seed);
    mine.forEach((t, i) => {
      drawTargetLine(panel, 100 * t.accuracy, t.label, theme.muted, {
        side: 'left',
        className: `target-line target-${i}`,
        ...(i > 0 ? { below: true } : {}),
      });
    });
    // Rings above the target lines' labels: a label must not hide where a run reached the line.
    const rings = panel.plot.append('g').attr('class', 'rings').attr('clip-path', `url(#${clip})`);
    const runs = curves.filter((c) => c.seed === seed);
    if (runs.length === 0) drawNote(panel, 'no runs', theme);
    for (const run of runs) {
      const color = colorOf(theme, run.method, methods.indexOf(run.method));
      const points = run.points.map((p) => ({ x: p.x, y: 100 * p.accuracy }));
      drawLine(clipped, points, {
        color,
        width: 2,
        ...dashOf(run.method),
        markers: true,
        markerRadius: 2.5,
        className: `curve ${run.method}`,
      });
      const goal = mine[0];
      const hit = goal ? run.points.find((p) => p.accuracy >= goal.accuracy) : undefined;
      if (hit) {
        rings
          .append('circle')
          .attr('class', `reached ${run.method}`)
          .attr('cx', panel.x(hit.x))
          .attr('cy', panel.y(100 * hit.accuracy))
          .attr('r', 9)
          .attr('fill', 'none')
          .attr('stroke', color)
          .attr('stroke-width', 2.5);
      }
    }
    if (s === seeds.length - 1) {
      drawLegend(
        panel,
        [
          ...methods.map((m, i) => ({
            label: METHOD_LABELS[m] ?? m,
            color: colorOf(theme, m, i),
            ...dashOf(m),
          })),
          ...(targets.length > 0
            ? [
                {
                  label: 'ring: where a run first reaches the upper line',
                  color: theme.muted,
                  ring: true,
                  width: 0,
                },
              ]
            : []),
        ],
        'bottom',
      );
    }
  });
  return serialize();
}
