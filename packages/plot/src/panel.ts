import { range } from 'd3-array';
import { axisBottom, axisLeft } from 'd3-axis';
import { format } from 'd3-format';
import { type ScaleLinear, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { Point } from './downsample.js';
import type { Group, Root } from './svg.js';
import type { Theme } from './theme.js';

/** Where a panel sits and what its axes show. */
export interface PanelSpec {
  /** Stable id, written as `data-panel` (tests and styling find panels by it). */
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
  /** Integer ticks on x (epochs). */
  integerX?: boolean;
  /** The x ticks to draw, instead of d3's (one budget: just it). */
  xTicks?: number[];
}

/** A drawn panel: its plot-area group and scales. */
export interface Panel {
  g: Group;
  plot: Group;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  innerWidth: number;
  innerHeight: number;
}

const MARGIN = { top: 44, right: 18, bottom: 52, left: 66 };

/** A padded domain that never collapses to a point. */
export function niceDomain(
  values: readonly number[],
  fallback: [number, number],
  pad = 0.05,
): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return fallback;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const span = hi - lo;
  return [lo - pad * span, hi + pad * span];
}

/** Frame, grid, axes, labels and title of one panel. */
export function drawPanel(root: Root | Group, spec: PanelSpec, theme: Theme): Panel {
  const g = root
    .append('g')
    .attr('transform', `translate(${spec.x},${spec.y})`)
    .attr('data-panel', spec.id)
    .attr('data-x-domain', spec.xDomain.join(','))
    .attr('data-y-domain', spec.yDomain.join(',')) as Group;
  const innerWidth = spec.width - MARGIN.left - MARGIN.right;
  const innerHeight = spec.height - MARGIN.top - MARGIN.bottom;
  const x = scaleLinear().domain(spec.xDomain).range([0, innerWidth]);
  const y = scaleLinear().domain(spec.yDomain).range([innerHeight, 0]);
  const plot = g.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`) as Group;
  g.append('text')
    .attr('x', spec.width / 2)
    .attr('y', 24)
    .attr('text-anchor', 'middle')
    .attr('font-size', 17)
    .attr('font-weight', 'bold')
    .attr('class', 'panel-title')
    .text(spec.title);
  plot
    .append('g')
    .attr('class', 'grid')
    .call(
      axisLeft(y)
        .ticks(5)
        .tickSize(-innerWidth)
        .tickFormat(() => ''),
    )
    .call((s) => s.selectAll('line').attr('stroke', theme.grid))
    .call((s) => s.select('.domain').remove());
  const xTicks =
    spec.xTicks ??
    (spec.integerX ? range(Math.ceil(spec.xDomain[0]), Math.floor(spec.xDomain[1]) + 1) : x.ticks(6));
  const xAxis = axisBottom(x)
    .tickValues(spec.integerX && xTicks.length > 12 ? x.ticks(8).filter(Number.isInteger) : xTicks)
    .tickFormat(format(spec.integerX ? 'd' : '~s'));
  plot
    .append('g')
    .attr('class', 'x-axis')
    .attr('transform', `translate(0,${innerHeight})`)
    .call(xAxis)
    .call((s) => s.selectAll('text').attr('font-size', 13).attr('fill', theme.text));
  plot
    .append('g')
    .attr('class', 'y-axis')
    .call(axisLeft(y).ticks(5).tickFormat(format('~g')))
    .call((s) => s.selectAll('text').attr('font-size', 13).attr('fill', theme.text));
  plot
    .selectAll('.x-axis .domain, .x-axis .tick line, .y-axis .domain, .y-axis .tick line')
    .attr('stroke', theme.muted);
  g.append('text')
    .attr('x', MARGIN.left + innerWidth / 2)
    .attr('y', spec.height - 10)
    .attr('text-anchor', 'middle')
    .attr('font-size', 14)
    .text(spec.xLabel);
  g.append('text')
    .attr('transform', `translate(16,${MARGIN.top + innerHeight / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', 14)
    .text(spec.yLabel);
  return { g, plot, x, y, innerWidth, innerHeight };
}

/** A line with gaps at NaN, optionally with point markers. */
export function drawLine(
  panel: Panel,
  points: readonly Point[],
  options: {
    color: string;
    width?: number;
    dash?: string;
    markers?: boolean;
    /** Radius of the point markers. Default 4. */
    markerRadius?: number;
    className?: string;
  },
): void {
  const path = line<Point>()
    .defined((p) => Number.isFinite(p.y) && Number.isFinite(p.x))
    .x((p) => panel.x(p.x))
    .y((p) => panel.y(p.y));
  panel.plot
    .append('path')
    .attr('class', options.className ?? 'series')
    .attr('d', path(points as Point[]) ?? '')
    .attr('fill', 'none')
    .attr('stroke', options.color)
    .attr('stroke-width', options.width ?? 2.5)
    .attr('stroke-dasharray', options.dash ?? null);
  if (options.markers) {
    panel.plot
      .append('g')
      .selectAll('circle')
      .data(points.filter((p) => Number.isFinite(p.y)))
      .join('circle')
      .attr('cx', (p) => panel.x(p.x))
      .attr('cy', (p) => panel.y(p.y))
      .attr('r', options.markerRadius ?? 4)
      .attr('fill', options.color);
  }
}

/**
 * A horizontal reference line with its label above the line, at the left or
 * right end, on a white halo so it stays legible over data.
 */
export function drawTargetLine(
  panel: Panel,
  value: number,
  label: string,
  color: string,
  options: { side?: 'left' | 'right'; className?: string; below?: boolean } = {},
): void {
  const y = panel.y(value);
  const side = options.side ?? 'right';
  panel.plot
    .append('line')
    .attr('class', options.className ?? 'target-line')
    .attr('x1', 0)
    .attr('x2', panel.innerWidth)
    .attr('y1', y)
    .attr('y2', y)
    .attr('stroke', color)
    .attr('stroke-width', 2)
    .attr('stroke-dasharray', '7 4');
  if (!label) return;
  haloText(panel.plot, side === 'left' ? 6 : panel.innerWidth - 6, options.below ? y + 16 : y - 7, label)
    .attr('class', `${options.className ?? 'target'}-label`)
    .attr('text-anchor', side === 'left' ? 'start' : 'end')
    .attr('font-size', 12)
    .attr('fill', color);
}

/** Text with a white outline behind its glyphs (legible over lines and grid). */
export function haloText(g: Group, x: number, y: number, text: string) {
  return g
    .append('text')
    .attr('x', x)
    .attr('y', y)
    .attr('stroke', 'white')
    .attr('stroke-width', 4)
    .attr('stroke-linejoin', 'round')
    .attr('paint-order', 'stroke')
    .text(text);
}

/**
 * Labels at the right end of lines ("AST 72.3%"), pushed apart vertically so
 * close values do not overprint; each keeps its line's colour.
 */
export function drawEndLabels(
  panel: Panel,
  items: { x: number; y: number; text: string; color: string }[],
  minGap = 15,
): void {
  const placed = items.map((item) => ({ ...item, py: panel.y(item.y) })).sort((a, b) => a.py - b.py);
  for (let i = 1; i < placed.length; i++) {
    placed[i]!.py = Math.max(placed[i]!.py, placed[i - 1]!.py + minGap);
  }
  const overflow = placed.length > 0 ? placed[placed.length - 1]!.py - (panel.innerHeight - 4) : 0;
  if (overflow > 0) for (const p of placed) p.py -= overflow;
  const g = panel.plot.append('g').attr('class', 'end-labels');
  for (const p of placed) {
    haloText(g, panel.x(p.x) - 8, p.py + 4, p.text)
      .attr('text-anchor', 'end')
      .attr('font-size', 13)
      .attr('font-weight', 'bold')
      .attr('fill', p.color);
  }
}

/** A centred note in a panel ("no validation", "not measured", …). */
export function drawNote(panel: Panel, text: string, theme: Theme): void {
  panel.plot
    .append('text')
    .attr('class', 'note')
    .attr('x', panel.innerWidth / 2)
    .attr('y', panel.innerHeight / 2)
    .attr('text-anchor', 'middle')
    .attr('font-size', 15)
    .attr('fill', theme.muted)
    .text(text);
}

/** A small legend in the panel's top-right corner. */
export function drawLegend(
  panel: Panel,
  items: { label: string; color: string; dash?: string; width?: number; marker?: boolean; ring?: boolean }[],
  corner: 'top' | 'bottom' | 'top-left' | 'bottom-left' = 'top',
  y?: number,
): void {
  const g = panel.plot.append('g').attr('class', 'legend');
  const width = Math.max(...items.map((i) => i.label.length)) * 7.6 + 44;
  const x0 = corner.endsWith('left') ? 4 : panel.innerWidth - width - 4;
  const y0 = y ?? (corner.startsWith('top') ? 4 : panel.innerHeight - items.length * 20 - 12);
  g.append('rect')
    .attr('x', x0)
    .attr('y', y0)
    .attr('width', width)
    .attr('height', items.length * 20 + 8)
    .attr('fill', 'white')
    .attr('fill-opacity', 0.85)
    .attr('stroke', '#cccccc');
  items.forEach((item, i) => {
    const y = y0 + 14 + i * 20;
    g.append('line')
      .attr('x1', x0 + 8)
      .attr('x2', x0 + 30)
      .attr('y1', y)
      .attr('y2', y)
      .attr('stroke', item.color)
      .attr('stroke-width', item.width ?? 3)
      .attr('stroke-dasharray', item.dash ?? null);
    if (item.marker)
      g.append('circle')
        .attr('cx', x0 + 19)
        .attr('cy', y)
        .attr('r', 4)
        .attr('fill', item.color);
    if (item.ring)
      g.append('circle')
        .attr('cx', x0 + 19)
        .attr('cy', y)
        .attr('r', 7)
        .attr('fill', 'none')
        .attr('stroke', item.color)
        .attr('stroke-width', 2.5);
    g.append('text')
      .attr('x', x0 + 36)
      .attr('y', y + 5)
      .attr('font-size', 13)
      .text(item.label);
  });
}
