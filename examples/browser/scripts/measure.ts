// The full-size figures of the README: the page trains full, AST and random
// (tiny ViT, all 6,000 bundled images, 3 epochs, seed 0) in Chromium and the
// same session runs in Node on the same machine, interleaved by epoch: the
// page trains an epoch of every run and pauses, Node trains the same epoch,
// and so on. One round is printed as a table (`--rounds 2` repeats it).
//
// Run (after npm run build -w @sundew/example-browser):
//   npx tsx examples/browser/scripts/measure.ts [--epochs 3] [--rounds 1]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
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
const epochs = Number(config.budgetValue);

const server = await serve(join(root, 'dist'));
const browser = await launchChromium();
const pct = (x: number | null | undefined) => (x == null ? 'n/a' : `${(100 * x).toFixed(1)} %`);
const ms = (s: number) => `${(1000 * s).toFixed(1)} ms`;
try {
  for (let round = 1; round <= rounds; round++) {
    const { page, problems, loaded } = await openPage(browser.context, server.url);
    const threads = (await snapshot(page)).backend?.threads ?? 1;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'scripts/node-reference.ts'),
        JSON.stringify(config),
        String(threads),
        '--stepwise',
      ],
      { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const nodeLines = createInterface({ input: child.stderr })[Symbol.asyncIterator]();
    const nodeEpoch = async () => {
      child.stdin.write('epoch\n');
      for (let line = await nodeLines.next(); !line.done; line = await nodeLines.next()) {
        if (line.value.startsWith('epoch done')) return;
      }
      throw new Error(`the Node reference ended early: ${stdout.slice(-500)}`);
    };
    const state = async () => (await snapshot(page)).state;
    await start(page, config);
    for (let epoch = 1; epoch <= epochs; epoch++) {
      if ((await state()) === 'paused') {
        await page.click('#pause');
        await waitForState(page, ['running', 'finished'], 60_000);
      }
      await page.waitForFunction(
        (k) => {
          const p = (
            globalThis as unknown as { sundew: { state: string; metrics: () => { epochs: unknown[] }[] } }
          ).sundew;
          const runs = p.metrics();
          return p.state === 'finished' || (runs.length === 3 && runs.every((m) => m.epochs.length >= k));
        },
        epoch,
        { timeout: 1_800_000, polling: 50 },
      );
      if ((await state()) === 'running') {
        await page.click('#pause');
        await waitForState(page, ['paused', 'finished'], 60_000);
      }
      await nodeEpoch();
    }
    if ((await state()) === 'paused') await page.click('#pause');
    await waitForState(page, ['finished', 'stopped', 'error'], 1_800_000);
    child.stdin.end();
    await exited;
    const s = await snapshot(page);
    if (s.state !== 'finished' || problems.length > 0) {
      throw new Error(`page run: ${s.state} ${problems.join('; ')} ${s.errors.join('; ')}`);
    }
    await page.close();
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
