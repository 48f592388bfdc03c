import type { Box, DashboardContext } from './dashboard.js';
import { finite, seconds, times } from './format.js';
import { drawPanel, haloText } from './panel.js';
import { accuracyBeside, type SpeedClaim, speedBars } from './speed.js';

/**
 * Seconds per epoch of full training, sample-by-sample and AST: a bar where
 * it was measured, the words "not measured" (no bar) where it was not; the
 * speed-up stated beside the accuracy it came with.
 */
export function drawSpeedPanel(ctx: DashboardContext, box: Box, claim: SpeedClaim): void {
  const { theme, main } = ctx;
  const bars = speedBars(main.metrics);
  const measured = finite(bars.map((b) => b.seconds));
  const max = measured.length > 0 ? Math.max(...measured) : 1;
  const panel = drawPanel(
    ctx.svg,
    {
      id: 'speed',
      ...box,
      title: 'Training time per epoch',
      xLabel: '',
      yLabel: 'Seconds per epoch',
      xDomain: [0, 3],
      // Headroom for the claim above the tallest bar.
      yDomain: [0, max * 1.6],
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
      .text(bar.seconds === null ? '' : bar.detail);
    if (bar.seconds === null) {
      // Words, not a shape: an empty bar would still have a height on a seconds axis.
      g.attr('data-measured', 'false');
      g.append('text')
        .attr('class', 'not-measured')
        .attr('x', cx)
        .attr('y', panel.innerHeight - 10)
        .attr('text-anchor', 'middle')
        .attr('font-size', 14)
        .attr('font-style', 'italic')
        .attr('fill', theme.muted)
        .text(bar.detail === 'not measured' ? 'not measured' : `not measured (${bar.detail})`);
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
  const lines: string[] =
    main.metrics.run.mode !== 'sparse'
      ? [`no AST run here: speed-up not measured`]
      : [
          claim.vsFull !== null
            ? `${times(claim.vsFull)} less time per epoch than full training`
            : 'speed-up vs full training: not measured',
          claim.vsFull !== null ? accuracyBeside(claim) : '',
          claim.random !== null && claim.epochs !== null
            ? `random control: ${(100 * claim.random).toFixed(1)}% after ${claim.epochs} epochs`
            : '',
          claim.vsSample !== null ? `${times(claim.vsSample)} less time per epoch than sample-by-sample` : '',
        ].filter(Boolean);
  const g = panel.plot
    .append('g')
    .attr('class', 'speedup')
    .attr('data-speedup-full', claim.vsFull ?? 'not measured');
  const w = Math.min(
    panel.innerWidth - 8,
    Math.max(...lines.map((l, i) => l.length * (i === 0 ? 9 : 7.4))) + 24,
  );
  g.append('rect')
    .attr('x', (panel.innerWidth - w) / 2)
    .attr('y', 2)
    .attr('width', w)
    .attr('height', lines.length * 19 + 12)
    .attr('rx', 6)
    .attr('fill', theme.highlight)
    .attr('stroke', theme.target);
  lines.forEach((line, i) => {
    haloText(g, panel.innerWidth / 2, 21 + i * 19, line)
      .attr('stroke', theme.highlight)
      .attr('text-anchor', 'middle')
      .attr('font-size', i === 0 ? 15 : 13)
      .attr('font-weight', i === 0 ? 'bold' : 'normal');
  });
}
