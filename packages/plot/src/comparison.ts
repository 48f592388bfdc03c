import type { RunMetrics } from '@sundew/types';
import { finite } from './format.js';
import { drawLine, drawNote, drawPanel, niceDomain } from './panel.js';
import { createFigure } from './svg.js';
import type { FigureOptions } from './theme.js';

/**
 * Two or more runs overlaid (e.g. full training, AST, random control):
 * validation accuracy against epochs and against training seconds.
 */
export function comparison(runs: readonly RunMetrics[], options: FigureOptions = {}): string {
  const { svg, serialize, theme, width, height } = createFigure(options, {
    width: 1600,
    height: 620,
    title: 'Validation accuracy: runs compared',
  });
  const series = runs.map((run, i) => ({
    label: run.run.label,
    color: run.run.mode === 'full' ? theme.full : theme.series[i % theme.series.length]!,
    dash: run.run.mode === 'full' ? '8 4' : undefined,
    byEpoch: run.epochs.map((e) => ({
      x: e.epoch + 1,
      y: e.valAccuracy === null ? Number.NaN : 100 * e.valAccuracy,
    })),
    byTime: [
      { x: 0, y: Number.NaN },
      ...run.epochs.map((e) => ({
        x: e.elapsedSeconds,
        y: e.valAccuracy === null ? Number.NaN : 100 * e.valAccuracy,
      })),
    ],
  }));
  const accs = series.flatMap((s) => finite(s.byEpoch.map((p) => p.y)));
  const epochsMax = Math.max(1, ...series.flatMap((s) => s.byEpoch.map((p) => p.x)));
  const timeMax = Math.max(1, ...series.flatMap((s) => finite(s.byTime.map((p) => p.x))));
  const yDomain = niceDomain(accs, [0, 100]);
  const panels = [
    drawPanel(
      svg,
      {
        id: 'by-epoch',
        x: 0,
        y: 76,
        width: width / 2,
        height: height - 76,
        title: 'Accuracy vs epoch',
        xLabel: 'Epoch',
        yLabel: 'Validation accuracy (%)',
        xDomain: [epochsMax > 1 ? 1 : 0.5, epochsMax > 1 ? epochsMax : 1.5],
        yDomain,
        integerX: true,
      },
      theme,
    ),
    drawPanel(
      svg,
      {
        id: 'by-time',
        x: width / 2,
        y: 76,
        width: width / 2,
        height: height - 76,
        title: 'Accuracy vs training time',
        xLabel: 'Training seconds (validation excluded)',
        yLabel: 'Validation accuracy (%)',
        xDomain: [0, timeMax * 1.02],
        yDomain,
      },
      theme,
    ),
  ] as const;
  if (accs.length === 0) for (const p of panels) drawNote(p, 'no validated epochs', theme);
  for (const s of series) {
    drawLine(panels[0], s.byEpoch, {
      color: s.color,
      ...(s.dash ? { dash: s.dash } : {}),
      markers: true,
      className: 'run',
    });
    drawLine(panels[1], s.byTime, {
      color: s.color,
      ...(s.dash ? { dash: s.dash } : {}),
      markers: true,
      className: 'run',
    });
  }
  // One horizontal legend under the title, clear of every line.
  const legend = svg.append('g').attr('class', 'legend');
  const itemWidth = Math.max(...series.map((s) => s.label.length)) * 8 + 50;
  series.forEach((s, i) => {
    const x = width / 2 - (series.length * itemWidth) / 2 + i * itemWidth;
    legend
      .append('line')
      .attr('x1', x)
      .attr('x2', x + 30)
      .attr('y1', 62)
      .attr('y2', 62)
      .attr('stroke', s.color)
      .attr('stroke-width', 3)
      .attr('stroke-dasharray', s.dash ?? null);
    legend
      .append('text')
      .attr('x', x + 38)
      .attr('y', 67)
      .attr('font-size', 14)
      .text(s.label);
  });
  if (runs.length === 1) {
    svg
      .append('text')
      .attr('class', 'note')
      .attr('x', width / 2)
      .attr('y', height - 4)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .attr('fill', theme.muted)
      .text(
        'Only one run given: pass --compare with the metrics of a full-training or random-control run to compare.',
      );
  }
  return serialize();
}
