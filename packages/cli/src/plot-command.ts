import { readRunMetrics, withBaselines } from '@sundew/metrics';
import { renderFigures } from '@sundew/plot';
import { UsageError } from './errors.js';
import { ensureWritableDir } from './writable-dir.js';

/** Options of `sundew plot`. */
export interface PlotOptions {
  metrics: string;
  compare: string[];
  /** Runs whose epoch timing is drawn as a speed bar, without overlaying their accuracy. */
  baseline: string[];
  out: string;
  format: string;
}

const FORMATS = ['svg', 'png'] as const;
type Format = (typeof FORMATS)[number];

/** Parse `--format svg,png`. */
export function parseFormats(text: string): Format[] {
  const formats = text
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const bad = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (formats.length === 0 || bad.length > 0) {
    throw new UsageError(`--format: expected a comma-separated list of svg, png; received "${text}"`);
  }
  return [...new Set(formats)] as Format[];
}

/** `sundew plot`: every figure of a run (and the runs it is compared with) as SVG and/or PNG. */
export async function plotCommand(options: PlotOptions, log: (line: string) => void): Promise<void> {
  const formats = parseFormats(options.format);
  await ensureWritableDir(options.out);
  const main = await readRunMetrics(options.metrics);
  const compare = await Promise.all(options.compare.map((p) => readRunMetrics(p)));
  const baselines = await Promise.all(options.baseline.map((p) => readRunMetrics(p)));
  // Timings of other modes measured on this machine (a full run, a sample-mode run) become speed bars.
  const metrics = withBaselines(main, [
    ...compare.map((run, i) => ({ run, source: options.compare[i]! })),
    ...baselines.map((run, i) => ({ run, source: options.baseline[i]! })),
  ]);
  const result = await renderFigures({ metrics, compare, outDir: options.out, formats });
  for (const file of result.files) log(`wrote ${file}`);
}
