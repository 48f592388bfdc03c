import type { RunMetrics } from '@sundew/types';
import { finite } from './format.js';
import { drawLine, drawNote, drawPanel, drawTargetLine, haloText, type Panel } from './panel.js';
import { datasetOf, type RunRole } from './roles.js';
import { accuracyByEpoch, type DrawnRun, drawnRuns } from './series.js';
import { createFigure } from './svg.js';
import type { FigureOptions } from './theme.js';

/** Runs of one method (e.g. AST over seeds 1, 2, 3), drawn as one series. */
interface Group {
  name: string;
  role: RunRole;
  color: string;
  dash?: string;
  runs: DrawnRun[];
}

/** Validation points of a run on the time axis: (training seconds, accuracy %). */
const byTime = (run: RunMetrics) =>
  run.epochs
    .filter((e) => e.valAccuracy !== null)
    .map((e) => ({ x: e.elapsedSeconds, y: 100 * e.valAccuracy! }));

/**
 * The time at which every run can be read: the earliest time by which every
 * run has been validated once, or, when every run is still going then, the
 * end of the shortest run (a budget comparison: the budget itself).
 */
export function equalTime(runs: readonly RunMetrics[]): number | null {
  const series = runs.map(byTime).filter((s) => s.length > 0);
  if (series.length < 2) return null;
  const firsts = Math.max(...series.map((s) => s[0]!.x));
  const lasts = Math.min(...series.map((s) => s[s.length - 1]!.x));
  return Math.max(firsts, lasts);
}

/** A run's last validated accuracy (%) at or before `t` seconds, and when it was measured. */
export function accuracyBy(run: RunMetrics, t: number): { x: number; y: number } | null {
  // A budget run stops a hair after its budget: half a percent of slack, and the time printed where it differs.
  const points = byTime(run).filter((p) => p.x <= t * 1.005 + 1e-9);
  return points.length > 0 ? points[points.length - 1]! : null;
}

/**
 * Full training, AST and the random control (and any other runs) overlaid on
 * shared axes: validation accuracy against epochs and against training
 * seconds, on a 0–100 % scale with the chance level. Runs of one method over
 * several seeds are drawn as a spread (min–max band around the mean per
 * epoch; every seed's curve on the time axis). The time panel marks one
 * equal-time point and states each method's accuracy there, as measured.
 */
export function comparison(runs: readonly RunMetrics[], options: FigureOptions = {}): string {
  const { svg, serialize, theme, width, height } = createFigure(options, {
    width: 1400,
    height: 640,
    title: 'Validation accuracy: full training, AST and the random control',
  });
  const drawn = drawnRuns(runs, theme);
  const groups: Group[] = [];
  for (const r of drawn) {
    const g = groups.find((x) => x.name === r.name && x.role === r.role);
    if (g) g.runs.push(r);
    else
      groups.push({
        name: r.name,
        role: r.role,
        color: r.color,
        ...(r.dash ? { dash: r.dash } : {}),
        runs: [r],
      });
  }
  const accs = drawn.flatMap((r) => finite(accuracyByEpoch(r.metrics).map((p) => p.y)));
  const epochsMax = Math.max(1, ...drawn.flatMap((r) => r.metrics.epochs.map((e) => e.epoch + 1)));
  const timeMax = Math.max(1, ...drawn.flatMap((r) => r.metrics.epochs.map((e) => e.elapsedSeconds)));
  const dataset = runs[0] ? datasetOf(runs[0]) : null;
  const top = 96;
  const spec = (id: string, x: number) => ({
    id,
    x,
    y: top,
    width: width / 2,
    height: height - top,
    yLabel: 'Validation accuracy (%)',
    yDomain: [0, 100] as [number, number],
  });
  const panels = [
    drawPanel(
      svg,
      {
        ...spec('by-epoch', 0),
        title: 'Accuracy vs epoch (same batches seen)',
        xLabel: 'Epoch',
        xDomain: [0, epochsMax],
        integerX: true,
      },
      theme,
    ),
    drawPanel(
      svg,
      {
        ...spec('by-time', width / 2),
        title: 'Accuracy vs training time',
        xLabel: 'Training seconds (validation excluded)',
        xDomain: [0, timeMax * 1.02],
      },
      theme,
    ),
  ] as const;
  for (const p of panels) {
    if (dataset)
      drawTargetLine(p, 100 / dataset.classes, `chance ${(100 / dataset.classes).toFixed(0)}%`, theme.muted, {
        side: 'left',
        className: 'chance',
      });
    if (accs.length === 0) drawNote(p, 'no validated epochs', theme);
  }
  for (const g of groups) {
    drawEpochSeries(panels[0], g);
    for (const r of g.runs) {
      drawLine(panels[1], byTime(r.metrics), {
        color: g.color,
        width: g.runs.length > 1 ? 1.5 : 2.5,
        markers: true,
        className: 'run',
        ...(g.dash ? { dash: g.dash } : {}),
      });
    }
  }
  drawEqualTime(panels[1], groups, runs, theme.muted);
  drawLegendRow(svg, groups, width, theme.muted);
  const roles = new Set(groups.map((g) => g.role));
  const missing = (['full', 'ast', 'random'] as const).filter((r) => !roles.has(r));
  if (missing.length > 0 && runs.length > 0) {
    const names = {
      full: 'full training (--mode full)',
      ast: 'AST',
      random: 'random control (--scorer random)',
    };
    svg
      .append('text')
      .attr('class', 'note missing')
      .attr('x', width / 2)
      .attr('y', 86)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .attr('fill', theme.muted)
      .text(
        `Not in this figure: ${missing.map((m) => names[m]).join(', ')}. Pass their metrics.json with --compare.`,
      );
  }
  return serialize();
}

/** One method by epoch: its line, or with several seeds the mean line in a min–max band. */
function drawEpochSeries(panel: Panel, g: Group): void {
  const dash = g.dash ? { dash: g.dash } : {};
  if (g.runs.length === 1) {
    drawLine(panel, accuracyByEpoch(g.runs[0]!.metrics), {
      color: g.color,
      markers: true,
      className: 'run',
      ...dash,
    });
    return;
  }
  const epochs = [...new Set(g.runs.flatMap((r) => r.metrics.epochs.map((e) => e.epoch + 1)))].sort(
    (a, b) => a - b,
  );
  const stats = epochs.map((x) => {
    const ys = g.runs
      .map((r) => accuracyByEpoch(r.metrics).find((p) => p.x === x)?.y ?? Number.NaN)
      .filter(Number.isFinite);
    // The mean only where every seed was validated: a mean of fewer seeds would jump.
    const all = ys.length === g.runs.length;
    return {
      x,
      lo: ys.length > 0 ? Math.min(...ys) : Number.NaN,
      hi: ys.length > 0 ? Math.max(...ys) : Number.NaN,
      mean: all ? ys.reduce((a, c) => a + c, 0) / ys.length : Number.NaN,
    };
  });
  const band = stats.filter((s) => Number.isFinite(s.lo));
  panel.plot
    .append('path')
    .attr('class', 'spread')
    .attr('data-seeds', g.runs.length)
    .attr(
      'd',
      band.length > 0
        ? `M${band.map((s) => `${panel.x(s.x)},${panel.y(s.hi)}`).join('L')}L${[...band]
            .reverse()
            .map((s) => `${panel.x(s.x)},${panel.y(s.lo)}`)
            .join('L')}Z`
        : '',
    )
    .attr('fill', g.color)
    .attr('fill-opacity', 0.18)
    .attr('stroke', g.color)
    .attr('stroke-opacity', 0.4);
  drawLine(
    panel,
    stats.map((s) => ({ x: s.x, y: s.mean })),
    { color: g.color, markers: true, className: 'run mean', ...dash },
  );
}

/** The equal-time line and each method's accuracy by then, as measured. */
function drawEqualTime(panel: Panel, groups: Group[], runs: readonly RunMetrics[], muted: string): void {
  const t = equalTime(runs);
  if (t === null) return;
  const x = panel.x(t);
  const g = panel.plot.append('g').attr('class', 'equal-time').attr('data-seconds', t);
  g.append('line')
    .attr('x1', x)
    .attr('x2', x)
    .attr('y1', 0)
    .attr('y2', panel.innerHeight)
    .attr('stroke', muted)
    .attr('stroke-dasharray', '3 3');
  const lines: { text: string; color: string }[] = [];
  for (const group of groups) {
    const at = group.runs
      .map((r) => accuracyBy(r.metrics, t))
      .filter((p): p is { x: number; y: number } => !!p);
    for (const p of at) {
      g.append('circle')
        .attr('cx', panel.x(p.x))
        .attr('cy', panel.y(p.y))
        .attr('r', 8)
        .attr('fill', 'none')
        .attr('stroke', group.color)
        .attr('stroke-width', 2);
    }
    if (at.length === 0) {
      lines.push({ text: `${group.name}: not validated by then`, color: group.color });
      continue;
    }
    const mean = at.reduce((s, p) => s + p.y, 0) / at.length;
    const when = Math.max(...at.map((p) => p.x));
    const spread =
      at.length > 1
        ? ` (${at.length} seeds, ${Math.min(...at.map((p) => p.y)).toFixed(1)}–${Math.max(...at.map((p) => p.y)).toFixed(1)})`
        : '';
    const early = Math.abs(when - t) >= 0.05 ? `, measured at ${when.toFixed(1)} s` : '';
    lines.push({ text: `${group.name}: ${mean.toFixed(1)}%${spread}${early}`, color: group.color });
  }
  const right = x > panel.innerWidth * 0.55;
  const tx = right ? x - 10 : x + 10;
  const anchor = right ? 'end' : 'start';
  const y0 = panel.y(48);
  haloText(g, tx, y0, `by ${t.toFixed(1)} s of training:`)
    .attr('text-anchor', anchor)
    .attr('font-size', 14)
    .attr('font-weight', 'bold');
  lines.forEach((l, i) => {
    haloText(g, tx, y0 + 20 * (i + 1), l.text)
      .attr('class', 'equal-time-value')
      .attr('text-anchor', anchor)
      .attr('font-size', 13)
      .attr('fill', l.color);
  });
}

/** One legend row under the title, clear of every line; a spread says how many seeds. */
function drawLegendRow(
  svg: Parameters<typeof drawPanel>[0],
  groups: Group[],
  width: number,
  muted: string,
): void {
  const legend = svg.append('g').attr('class', 'legend');
  const items = groups.map((g) => ({
    ...g,
    label: g.runs.length > 1 ? `${g.name} (${g.runs.length} seeds: mean, min–max band)` : g.name,
  }));
  const widths = items.map((i) => i.label.length * 8.8 + 60);
  let x = width / 2 - widths.reduce((a, b) => a + b, 0) / 2;
  items.forEach((s, i) => {
    legend
      .append('line')
      .attr('x1', x)
      .attr('x2', x + 34)
      .attr('y1', 60)
      .attr('y2', 60)
      .attr('stroke', s.color)
      .attr('stroke-width', 3)
      .attr('stroke-dasharray', s.dash ?? null);
    legend
      .append('text')
      .attr('x', x + 42)
      .attr('y', 65)
      .attr('font-size', 15)
      .attr('fill', s.role === 'other' ? muted : null)
      .text(s.label);
    x += widths[i]!;
  });
}
