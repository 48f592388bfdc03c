import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunMetrics } from '@sundew/types';
import writeFileAtomic from 'write-file-atomic';
import { architectureDiagram } from './architecture.js';
import { comparison } from './comparison.js';
import { trainingDashboard } from './dashboard.js';
import { svgToPng } from './png.js';
import { thresholdAdaptation } from './threshold.js';

/** Options of `renderFigures`. */
export interface RenderFiguresOptions {
  metrics: RunMetrics;
  /** Runs to overlay in `comparison.*` (e.g. full training, random control). */
  compare?: readonly RunMetrics[];
  outDir: string;
  formats?: readonly ('svg' | 'png')[];
  /** PNG scale factor (default 1). */
  scale?: number;
}

/** What was written, and how long each figure took. */
export interface RenderFiguresResult {
  files: string[];
  milliseconds: Record<string, { svg: number; png?: number }>;
}

/**
 * Write every figure of a run — `architecture_diagram`, `training_results`,
 * `threshold_adaptation`, `comparison` — as SVG and/or PNG, each atomically.
 */
export async function renderFigures(options: RenderFiguresOptions): Promise<RenderFiguresResult> {
  const formats = options.formats ?? ['svg', 'png'];
  await mkdir(options.outDir, { recursive: true });
  const figures: [string, () => string][] = [
    ['architecture_diagram', () => architectureDiagram(options.metrics, { compare: options.compare ?? [] })],
    ['training_results', () => trainingDashboard(options.metrics, { compare: options.compare ?? [] })],
    ['threshold_adaptation', () => thresholdAdaptation(options.metrics)],
    ['comparison', () => comparison([options.metrics, ...(options.compare ?? [])])],
  ];
  const files: string[] = [];
  const milliseconds: RenderFiguresResult['milliseconds'] = {};
  for (const [name, draw] of figures) {
    let t0 = performance.now();
    const svg = draw();
    milliseconds[name] = { svg: performance.now() - t0 };
    if (formats.includes('svg')) {
      const path = join(options.outDir, `${name}.svg`);
      await writeFileAtomic(path, svg);
      files.push(path);
    }
    if (formats.includes('png')) {
      t0 = performance.now();
      const png = svgToPng(svg, { scale: options.scale ?? 1 });
      milliseconds[name]!.png = performance.now() - t0;
      const path = join(options.outDir, `${name}.png`);
      await writeFileAtomic(path, png);
      files.push(path);
    }
  }
  return { files, milliseconds };
}
