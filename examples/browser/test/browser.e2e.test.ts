// The built page in headless Chromium (Debian's, driven by playwright-core):
// bad input, a full 2-epoch run of all three, exports, pause/resume/stop,
// and the same session in Node beside it (accuracy, step time).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readRunMetrics } from '@sundew/metrics';
import type { RunMetrics } from '@sundew/types';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module with JSDoc types (run by node directly).
import { serve } from '../scripts/serve.mjs';
import { launchChromium } from './chromium.js';
import { byLabel, framesPerSecond, loadSizes, median, stepSeconds } from './measures.js';
import { batchCount, openPage, snapshot, start, waitForState } from './page-run.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'test-output');
const run = promisify(execFile);

/** A quick run: the micro ViT on 768 training and 500 test images, 2 epochs. */
const QUICK = {
  model: 'micro',
  budgetKind: 'epochs',
  budgetValue: '2',
  seed: '0',
  limitTrain: '768',
  limitTest: '500',
};

let server: { url: string; close: () => Promise<void> };
let browser: { context: BrowserContext; close: () => Promise<void> };

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  server = await serve(join(root, 'dist'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the page in Chromium', () => {
  it('refuses bad input with a message in the page, and starts nothing', async () => {
    const { page, problems } = await openPage(browser.context, server.url);
    await start(page, { ...QUICK, targetRate: '1.5' });
    await expect
      .poll(() => page.textContent('#message'))
      .toContain('target rate must be in (0, 1], e.g. 0.3 for 30 % of the samples; received 1.5');
    await start(page, { ...QUICK, targetRate: '', budgetValue: '0' });
    await expect
      .poll(() => page.textContent('#message'))
      .toContain('budget: epochs must be a whole number from 1 to 100; received 0 — nothing was started');
    await start(page, { ...QUICK, budgetKind: 'seconds', budgetValue: '0' });
    await expect.poll(() => page.textContent('#message')).toContain('seconds per run must be more than 0');
    await page.waitForTimeout(500);
    const s = await snapshot(page);
    expect(s.state).toBe('idle');
    expect(s.metrics).toEqual([]);
    expect(await page.locator('#dashboard svg').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  let browserRuns: RunMetrics[] = [];

  it('trains full, AST and random for 2 epochs, threaded, and draws the runs live', async () => {
    const { page, problems, loaded } = await openPage(browser.context, server.url);
    const s0 = await snapshot(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(s0.backend).toMatchObject({
      backend: 'wasm',
      crossOriginIsolated: true,
      simd: true,
      wasmBinary: 'tfjs-backend-wasm-threaded-simd.wasm',
      kernelBuild: 'shared',
      kernelsActive: true,
    });
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(s0.backend!.threads).toBe(cores);
    await start(page, QUICK);
    await waitForState(page, ['finished', 'stopped', 'error']);
    const s = await snapshot(page);
    expect(s.errors).toEqual([]);
    expect(s.state).toBe('finished');
    browserRuns = s.metrics;
    expect(browserRuns.map((m) => m.run.label)).toEqual(['ast', 'full', 'random']);
    for (const m of browserRuns) {
      expect(m.epochs).toHaveLength(2);
      expect(m.batches).toHaveLength(2 * 6);
      // Flat between epochs: every step disposes what it made.
      expect(s.tensorsAtEpochs[m.run.label]).toHaveLength(2);
      const [first, second] = s.tensorsAtEpochs[m.run.label]!;
      expect(second).toBe(first);
    }
    expect(s.finalTensors).toBe(0);

    // The gate holds the target within its tolerance (±10 % of the target or ±1 point, gate README).
    const ast = byLabel(browserRuns, 'ast');
    const target = ast.run.targetActivationRate!;
    expect(target).toBe(0.3);
    const rate = ast.epochs.at(-1)!.activationRate;
    expect(Math.abs(rate - target)).toBeLessThanOrEqual(Math.max(0.1 * target, 0.01));

    // The dashboard's panels are there and carry this run's numbers.
    await page.waitForFunction(() => document.querySelectorAll('#dashboard .panel-title').length === 6);
    const titles = await page.locator('#dashboard .panel-title').allTextContents();
    expect(titles).toEqual([
      'Loss',
      'Validation accuracy',
      'Activation rate vs target',
      'Modeled energy: spent vs full training',
      'Training time per epoch',
      'Samples trained on vs skipped',
    ]);
    const text = (await page.locator('#dashboard svg').textContent()) ?? '';
    for (const m of browserRuns) {
      const acc = (100 * m.epochs.at(-1)!.valAccuracy!).toFixed(1);
      expect(text).toContain(`${acc}% after 2 epochs`);
    }
    const trained = ast.batches.reduce((n, b) => n + b.activated, 0);
    expect(text).toContain(`${trained.toLocaleString('en')} trained`);
    expect(await page.locator('#threshold svg .panel-title').count()).toBeGreaterThan(0);
    expect(s.redraws).toBeGreaterThan(1);

    // Exports: metrics.json per run (the Node schema), the figures as SVG and PNG.
    const downloads = async (button: string, n: number) => {
      const files: { name: string; bytes: Buffer }[] = [];
      const all = new Promise<void>((resolve) => {
        page.on('download', async (d) => {
          const path = join(out, d.suggestedFilename());
          await d.saveAs(path);
          files.push({ name: d.suggestedFilename(), bytes: readFileSync(path) });
          if (files.length === n) resolve();
        });
      });
      await page.click(button);
      await all;
      page.removeAllListeners('download');
      return files.sort((a, b) => a.name.localeCompare(b.name));
    };
    const metricsFiles = await downloads('#export-metrics', 3);
    expect(metricsFiles.map((f) => f.name)).toEqual([
      'ast.metrics.json',
      'full.metrics.json',
      'random.metrics.json',
    ]);
    for (const f of metricsFiles) {
      // The reader `sundew plot --metrics` uses: it validates the schema.
      const parsed = await readRunMetrics(join(out, f.name));
      expect(parsed.epochs.map((e) => e.valAccuracy)).toEqual(
        byLabel(browserRuns, parsed.run.label).epochs.map((e) => e.valAccuracy),
      );
    }
    const svgs = await downloads('#export-svg', 2);
    expect(svgs.map((f) => f.name)).toEqual(['threshold_adaptation.svg', 'training_results.svg']);
    for (const f of svgs)
      expect(f.bytes.toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const pngs = await downloads('#export-png', 2);
    for (const f of pngs) expect([...f.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

    // Redraws stay cheap over long runs: the figures draw from down-sampled series.
    const redraw = (batches: number, perEpoch: number) =>
      page.evaluate(
        ([n, per]) =>
          (
            globalThis as unknown as { sundew: { redrawWith: (n: number, per: number) => number } }
          ).sundew.redrawWith(n!, per!),
        [batches, perEpoch],
      );
    const short = await redraw(12, 6);
    const long = await redraw(10_000, 47);
    console.log(
      `one redraw (dashboard + threshold): ${short.toFixed(0)} ms with 12 batches per run, ` +
        `${long.toFixed(0)} ms with 10,000 (213 epochs of 47)`,
    );
    expect(long).toBeLessThan(1000);

    await page.screenshot({ path: join(out, 'dashboard.png'), fullPage: true });
    expect(problems).toEqual([]);

    // What the page loaded, gzip-compressed.
    const sizes = loadSizes(join(root, 'dist'), server.url, loaded);
    console.log(sizes.line);
    expect(sizes.code.some((f) => f.path.includes('tfjs-backend-wasm-threaded-simd'))).toBe(true);
    expect(sizes.code.some((f) => f.path.includes('sundew-kernels-shared'))).toBe(true);

    // Frames while training: requestAnimationFrame gaps recorded by the page.
    const gaps = s.frameGaps;
    const fps = framesPerSecond(gaps);
    console.log(
      `dashboard while training: ${fps.toFixed(1)} frames/s over ${gaps.length} frames ` +
        `(longest gap ${Math.max(...gaps).toFixed(0)} ms; ${s.redraws} redraws, median ${median(s.redrawMs).toFixed(0)} ms)`,
    );
    expect(gaps.length).toBeGreaterThan(10);
    expect(fps).toBeGreaterThanOrEqual(30);
    await page.close();
  });

  it('the same session in Node reaches the same accuracy; step times side by side', async () => {
    expect(browserRuns).toHaveLength(3);
    const threads = browserRuns[0]!.environment.threads ?? 1;
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts/node-reference.ts'), JSON.stringify(QUICK), String(threads)],
      { cwd: root, maxBuffer: 64 << 20 },
    );
    const node = JSON.parse(stdout) as {
      threads: number;
      metrics: RunMetrics[];
      tensors: Record<string, number[]>;
    };
    expect(node.threads).toBe(threads);
    for (const label of ['full', 'ast', 'random']) {
      const b = byLabel(browserRuns, label).epochs.at(-1)!.valAccuracy!;
      const n = byLabel(node.metrics, label).epochs.at(-1)!.valAccuracy!;
      console.log(
        `${label}: validation accuracy browser ${(100 * b).toFixed(1)} %, Node ${(100 * n).toFixed(1)} %`,
      );
      expect(Math.abs(b - n)).toBeLessThanOrEqual(0.01);
    }
    const b = median(stepSeconds(byLabel(browserRuns, 'full')));
    const n = median(stepSeconds(byLabel(node.metrics, 'full')));
    console.log(
      `full-batch train step (median, ${threads} threads): browser ${(1000 * b).toFixed(1)} ms, Node WASM ${(1000 * n).toFixed(1)} ms, ratio ${(b / n).toFixed(2)}`,
    );
    writeFileSync(join(out, 'node-reference.json'), stdout);
    expect(b / n).toBeGreaterThan(0);
  });

  it('pauses, resumes and stops a run', async () => {
    const { page, problems } = await openPage(browser.context, server.url);
    await start(page, { ...QUICK, budgetValue: '50' });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { sundew: { metrics: () => { batches: unknown[] }[] } }).sundew
          .metrics()
          .reduce((n, m) => n + m.batches.length, 0) >= 6,
      null,
      { timeout: 120_000 },
    );
    await page.click('#pause');
    await waitForState(page, ['paused'], 30_000);
    expect(await page.textContent('#pause')).toBe('resume');
    const held = await batchCount(page);
    await page.waitForTimeout(1500);
    expect(await batchCount(page)).toBe(held);
    await page.click('#pause');
    await waitForState(page, ['running'], 30_000);
    await expect.poll(() => batchCount(page), { timeout: 60_000 }).toBeGreaterThan(held);
    await page.click('#stop');
    await waitForState(page, ['stopped'], 60_000);
    const s = await snapshot(page);
    expect(s.finalTensors).toBe(0);
    for (const m of s.metrics) {
      expect(m.epochs.length).toBeLessThan(50);
      expect(m.notes).toContain('stopped from the page before its budget');
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
