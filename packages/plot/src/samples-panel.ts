import type { Box, DashboardContext } from './dashboard.js';
import { percent } from './format.js';

/**
 * Samples trained on vs skipped, one stacked bar per run: what each run
 * spent its gradient steps on (full training trains every sample; AST and
 * the random control should skip alike, or the comparison is unfair).
 */
export function drawSamplesPanel(ctx: DashboardContext, box: Box): void {
  const { theme, runs, main } = ctx;
  const totals = runs.map((r) => {
    const processed = r.metrics.epochs.reduce((s, e) => s + e.samplesProcessed, 0);
    const skipped = r.metrics.epochs.reduce((s, e) => s + e.samplesSkipped, 0);
    return { run: r, processed, skipped, total: processed + skipped };
  });
  const own = totals[0]!;
  const g = ctx.svg
    .append('g')
    .attr('transform', `translate(${box.x},${box.y})`)
    .attr('data-panel', 'samples')
    .attr('data-processed', own.processed)
    .attr('data-skipped', own.skipped);
  g.append('text')
    .attr('class', 'panel-title')
    .attr('x', box.width / 2)
    .attr('y', 24)
    .attr('text-anchor', 'middle')
    .attr('font-size', 16)
    .attr('font-weight', 'bold')
    .text('Samples trained on vs skipped');
  const left = 150;
  const right = 24;
  const barW = box.width - left - right;
  const max = Math.max(1, ...totals.map((t) => t.total));
  const rowH = Math.min(80, (box.height - 130) / Math.max(1, totals.length));
  const y0 = 60;
  if (own.total === 0) {
    g.append('text')
      .attr('x', box.width / 2)
      .attr('y', box.height / 2)
      .attr('text-anchor', 'middle')
      .attr('fill', theme.muted)
      .text('no samples recorded');
    return;
  }
  totals.forEach((t, i) => {
    const y = y0 + i * rowH;
    const row = g
      .append('g')
      .attr('class', 'samples-row')
      .attr('data-run', t.run.name)
      .attr('data-processed', t.processed)
      .attr('data-skipped', t.skipped);
    row
      .append('text')
      .attr('x', left - 10)
      .attr('y', y + rowH * 0.35 + 5)
      .attr('text-anchor', 'end')
      .attr('font-size', 14)
      .attr('font-weight', t.run === main ? 'bold' : 'normal')
      .text(t.run.name);
    const wTrained = (barW * t.processed) / max;
    const wSkipped = (barW * t.skipped) / max;
    const h = rowH * 0.55;
    row
      .append('rect')
      .attr('class', 'trained')
      .attr('x', left)
      .attr('y', y)
      .attr('width', wTrained)
      .attr('height', h)
      .attr('fill', t.run.color);
    row
      .append('rect')
      .attr('class', 'skipped')
      .attr('x', left + wTrained)
      .attr('y', y)
      .attr('width', wSkipped)
      .attr('height', h)
      .attr('fill', theme.skipped)
      .attr('stroke', t.run.color)
      .attr('stroke-width', 1);
    row
      .append('text')
      .attr('x', left)
      .attr('y', y + h + 16)
      .attr('font-size', 12)
      .attr('fill', theme.muted)
      .text(
        t.total === 0
          ? 'no samples recorded'
          : `${t.processed.toLocaleString('en')} trained (${percent(t.processed / t.total)}) · ${t.skipped.toLocaleString('en')} skipped (${percent(t.skipped / t.total)})`,
      );
  });
  // Legend: filled = trained on, pale = skipped.
  const ly = box.height - 36;
  const legend = g.append('g').attr('class', 'legend');
  [
    { label: 'trained on', fill: theme.muted, stroke: 'none' },
    { label: 'skipped (no gradient step)', fill: theme.skipped, stroke: theme.muted },
  ].forEach((item, i) => {
    const x = left + i * 130;
    legend
      .append('rect')
      .attr('x', x)
      .attr('y', ly - 12)
      .attr('width', 16)
      .attr('height', 16)
      .attr('fill', item.fill)
      .attr('stroke', item.stroke);
    legend
      .append('text')
      .attr('x', x + 22)
      .attr('y', ly + 1)
      .attr('font-size', 12)
      .text(item.label);
  });
}
