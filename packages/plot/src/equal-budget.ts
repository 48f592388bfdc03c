import { finite } from './format.js';
import { dashOf, METHOD_LABELS, methodColor } from './methods.js';
import { drawLegend, drawLine, drawNote, drawPanel, niceDomain } from './panel.js';
import { createFigure } from './svg.js';
import type { FigureOptions } from './theme.js';

/** One run of an equal-budget comparison (what `sundew compare` measured). */
export interface EqualBudgetRow {
  budgetSeconds: number;
  seed: number;
  /** `full`, `ast` or `random` (any other name is drawn too). */
  method: string;
  /** Final validation accuracy, 0–1 (null: not validated). */
  valAccuracy: number | null;
}

/** Options of `equalBudget`: a figure's, and what the budget counts. */
export interface EqualBudgetOptions extends FigureOptions {
  /** `seconds` (default): training seconds; `samples`: sample passes (`budgetSeconds` of a row then holds them). */
  budgetUnit?: 'seconds' | 'samples';
}

/**
 * Validation accuracy reached at each training-time budget: a point per run
 * (seed), a line through each method's mean.
 */
export function equalBudget(rows: readonly EqualBudgetRow[], options: EqualBudgetOptions = {}): string {
  const samples = options.budgetUnit === 'samples';
  const { svg, serialize, theme, width, height } = createFigure(options, {
    width: 1000,
    height: 620,
    title: 'Accuracy at equal training time',
  });
  const methods = [...new Set(rows.map((r) => r.method))];
  const budgets = [...new Set(rows.map((r) => r.budgetSeconds))].sort((a, b) => a - b);
  const accs = finite(rows.map((r) => (r.valAccuracy === null ? Number.NaN : 100 * r.valAccuracy)));
  const maxBudget = Math.max(1, ...budgets);
  const single = budgets.length === 1;
  const panel = drawPanel(
    svg,
    {
      id: 'equal-budget',
      x: 0,
      y: 50,
      width,
      height: height - 50,
      title: samples
        ? 'Each run stopped by the same budget of sample passes, then validated'
        : 'Each run stopped by the same budget of training seconds, then validated',
      xLabel: samples
        ? 'Budget (sample passes: samples trained + 1/3 of those scored by a forward alone)'
        : 'Budget (training seconds, validation excluded)',
      // Zoomed: differences of a point are the result here, so the label says where the axis starts.
      yLabel: `Validation accuracy (%), axis from ${Math.floor(niceDomain(accs, [0, 100], 0.15)[0])}%`,
      // One budget: around it (an axis from 0 would squeeze every run into its right edge), its
      // runs two thirds across, clear of the legend at the top left, and one tick: the budget.
      xDomain: single ? [maxBudget * 0.6, maxBudget * 1.2] : [0, maxBudget * 1.05],
      ...(single ? { xTicks: [maxBudget] } : {}),
      yDomain: niceDomain(accs, [0, 100], 0.15),
    },
    theme,
  );
  if (accs.length === 0) drawNote(panel, 'no validated runs', theme);
  const colorOf = (m: string, i: number) => methodColor(theme, m, i);
  // Methods side by side at each budget, so points and spreads do not hide each other (one
  // budget: far enough apart for each method's mean to be a tick of its own).
  const offset = (i: number) => (i - (methods.length - 1) / 2) * (single ? 40 : 10);
  methods.forEach((method, i) => {
    const color = colorOf(method, i);
    const dx = offset(i);
    const mine = rows.filter((r) => r.method === method && r.valAccuracy !== null);
    const atBudget = budgets.map((b) => ({
      b,
      at: mine.filter((r) => r.budgetSeconds === b).map((r) => 100 * r.valAccuracy!),
    }));
    const spreads = atBudget.flatMap(({ b, at }) =>
      at.length > 1 ? [{ b, lo: Math.min(...at), hi: Math.max(...at) }] : [],
    );
    panel.plot
      .append('g')
      .attr('class', `spread ${method}`)
      .selectAll('line')
      .data(spreads)
      .join('line')
      .attr('x1', (s) => panel.x(s.b) + dx)
      .attr('x2', (s) => panel.x(s.b) + dx)
      .attr('y1', (s) => panel.y(s.lo))
      .attr('y2', (s) => panel.y(s.hi))
      .attr('stroke', color)
      .attr('stroke-width', 3)
      .attr('stroke-opacity', 0.6);
    const means = atBudget.map(({ b, at }) => ({
      x: b,
      y: at.length > 0 ? at.reduce((a, c) => a + c, 0) / at.length : Number.NaN,
    }));
    if (single) {
      // A line through one point draws nothing: the mean is a tick across the method's runs.
      panel.plot
        .append('g')
        .attr('class', `mean ${method}`)
        .selectAll('line')
        .data(means.filter((p) => Number.isFinite(p.y)))
        .join('line')
        .attr('x1', (p) => panel.x(p.x) + dx - 14)
        .attr('x2', (p) => panel.x(p.x) + dx + 14)
        .attr('y1', (p) => panel.y(p.y))
        .attr('y2', (p) => panel.y(p.y))
        .attr('stroke', color)
        .attr('stroke-width', 3)
        .attr('stroke-dasharray', dashOf(method).dash ?? null);
    } else
      drawLine(
        panel,
        means.map((p) => ({ ...p, x: panel.x.invert(panel.x(p.x) + dx) })),
        {
          color,
          ...dashOf(method),
          className: `mean ${method}`,
        },
      );
    panel.plot
      .append('g')
      .attr('class', `runs ${method}`)
      .selectAll('circle')
      .data(mine)
      .join('circle')
      .attr('cx', (r) => panel.x(r.budgetSeconds) + dx)
      .attr('cy', (r) => panel.y(100 * r.valAccuracy!))
      .attr('r', 5)
      .attr('fill', color)
      .attr('fill-opacity', 0.55)
      .attr('data-seed', (r) => r.seed);
  });
  drawLegend(
    panel,
    methods.map((m, i) => ({
      label: `${METHOD_LABELS[m] ?? m} (${single ? 'tick: mean' : 'mean'}; dots: seeds; bar: min–max)`,
      color: colorOf(m, i),
      ...dashOf(m),
    })),
    // One budget draws two thirds across: the legend goes where no run is.
    single ? 'top-left' : 'bottom',
  );
  return serialize();
}
