// The full-size figures of the README: the page trains full, AST and random
// (tiny ViT, all 6,000 bundled images, 3 epochs, seed 0) in Chromium, then the
// same session runs in Node on the same machine; one round is printed as a
// table (add `--rounds 2` to repeat, alternating browser and Node).
//
// Run (after npm run build -w @sundew/example-browser):
//   npx tsx examples/browser/scripts/measure.ts [--epochs 3] [--rounds 1]
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunMetrics } from '@sundew/types';
import { launchChromium } from '../test/chromium.js';
import { byLabel, framesPerSecond, loadSizes, median, stepSeconds } from '../test/measures.js';
import { openPage, snapshot, start, waitForState } from '../test/page-run.js';
// @ts-expect-error: a plain ES module with JSDoc types (run by node directly).
import { serve } from './serve.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const config = {
  recipe: 'default',
  model: 'tiny',
  budgetKind: 'epochs',
  budgetValue: String(arg('epochs', 3)),
  seed: '0',
};
const rounds = arg('rounds', 1);

const server = await serve(join(root, 'dist'));
const browser = await launchChromium();
const pct = (x: number | null | undefined) => (x == null ? 'n/a' : `${(100 * x).toFixed(1)} %`);
const ms = (s: number) => `${(1000 * s).toFixed(1)} ms`;
try {
  for (let round = 1; round <= rounds; round++) {
    const { page, problems, loaded } = await openPage(browser.context, server.url);
    await start(page, config);
    await waitForState(page, ['finished', 'stopped', 'error'], 1_800_000);
    const s = await snapshot(page);
    if (s.state !== 'finished' || problems.length > 0)
      throw new Error(`page run: ${s.state} ${problems.join('; ')} ${s.errors.join('; ')}`);
    await page.close();
    const threads = s.backend?.threads ?? 1;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts/node-reference.ts'), JSON.stringify(config), String(threads)],
      { cwd: root, maxBuffer: 256 << 20 },
    );
    const node = JSON.parse(stdout) as { metrics: RunMetrics[] };
    console.log(
      `\nround ${round}: ${JSON.stringify(config)}, ${threads} WASM threads (${s.backend?.wasmBinary}, kernels ${s.backend?.kernelBuild})`,
    );
    console.log(
      '| run | val. accuracy, browser | val. accuracy, Node | median train step, browser | median train step, Node | browser / Node |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const label of ['full', 'ast', 'random']) {
      const b = byLabel(s.metrics, label);
      const n = byLabel(node.metrics, label);
      const [bs, ns] = [median(stepSeconds(b)), median(stepSeconds(n))];
      console.log(
        `| ${label} | ${pct(b.epochs.at(-1)?.valAccuracy)} | ${pct(n.epochs.at(-1)?.valAccuracy)} | ${ms(bs)} | ${ms(ns)} | ${(bs / ns).toFixed(2)} |`,
      );
    }
    console.log(
      `dashboard while training: ${framesPerSecond(s.frameGaps).toFixed(1)} frames/s over ${s.frameGaps.length} frames, ` +
        `longest gap ${Math.max(...s.frameGaps).toFixed(0)} ms; ${s.redraws} redraws, median ${median(s.redrawMs).toFixed(0)} ms`,
    );
    console.log(loadSizes(join(root, 'dist'), server.url, loaded).line);
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(0);
