// Render time of the dashboard (SVG and PNG) for a real run, and of the
// threshold figure for 100,000 batches. Median of 5 after a warm-up.
// Run: npm run build && node bench/plot-render.mjs [metrics.json]
import { readRunMetrics } from '@sundew/metrics';
import { svgToPng, thresholdAdaptation, trainingDashboard } from '@sundew/plot';

const metrics = await readRunMetrics(process.argv[2] ?? 'docs/demo/ast/metrics.json');
const median = (f) => {
  f();
  const t = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[2].toFixed(0);
};
const svg = trainingDashboard(metrics);
console.log(`dashboard SVG: ${median(() => trainingDashboard(metrics))} ms`);
console.log(`dashboard PNG (from the SVG, scale 1): ${median(() => svgToPng(svg))} ms`);
console.log(`dashboard PNG (scale 2): ${median(() => svgToPng(svg, { scale: 2 }))} ms`);
const b = metrics.batches[0];
const huge = {
  ...metrics,
  batches: Array.from({ length: 100_000 }, (_, i) => ({
    ...b,
    epoch: Math.floor(i / 1000),
    batch: i % 1000,
    threshold: 0.5 + 0.1 * Math.sin(i / 50),
    activated: (i * 7) % 25,
  })),
};
console.log(`threshold figure, 100,000 batches, SVG: ${median(() => thresholdAdaptation(huge))} ms`);
