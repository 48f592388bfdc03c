// Drive the built page in Chromium: open it, fill the form, start, wait.

import type { RunMetrics } from '@sundew/types';
import type { BrowserContext, Page } from 'playwright-core';
import type { BackendInfo } from '../src/run/protocol.js';

/** What the page exposes as `globalThis.sundew` (src/main.ts), as the test reads it. */
export interface PageSnapshot {
  state: string;
  backend: BackendInfo | null;
  finalTensors: number | null;
  redraws: number;
  redrawMs: number[];
  frameGaps: number[];
  errors: string[];
  metrics: RunMetrics[];
  tensorsAtEpochs: Record<string, number[]>;
}

/** A page with every console error, page error and loaded URL collected. */
export async function openPage(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const problems: string[] = [];
  const loaded: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => loaded.push(r.url()));
  // Workers' requests (the wasm binaries, the data) are the context's.
  context.on('response', (r) => loaded.push(r.url()));
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const state = (globalThis as { sundew?: { state: string } }).sundew?.state;
      return state !== undefined && state !== 'loading';
    },
    null,
    {
      timeout: 120_000,
    },
  );
  return { page, problems, loaded };
}

export const snapshot = (page: Page): Promise<PageSnapshot> =>
  page.evaluate(() => {
    const s = (globalThis as unknown as { sundew: Record<string, unknown> }).sundew;
    return {
      state: s['state'],
      backend: s['backend'],
      finalTensors: s['finalTensors'],
      redraws: s['redraws'],
      redrawMs: s['redrawMs'],
      frameGaps: s['frameGaps'],
      errors: s['errors'],
      metrics: (s['metrics'] as () => unknown)(),
      tensorsAtEpochs: (s['tensorsAtEpochs'] as () => unknown)(),
    } as PageSnapshot;
  });

/** Fill the form's fields (by name) and press start. */
export async function start(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) {
    const selector = `[name="${name}"]`;
    if ((await page.locator(selector).evaluate((e) => e.tagName)) === 'SELECT')
      await page.selectOption(selector, value);
    else await page.fill(selector, value);
  }
  await page.click('#start');
}

/** Wait until the page's state is one of `states`. */
export async function waitForState(page: Page, states: string[], timeout = 300_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => wanted.includes((globalThis as unknown as { sundew: { state: string } }).sundew.state),
    states,
    { timeout, polling: 100 },
  );
}

/** Batches recorded so far, all runs together. */
export const batchCount = (page: Page): Promise<number> =>
  page.evaluate(() =>
    (globalThis as unknown as { sundew: { metrics: () => { batches: unknown[] }[] } }).sundew
      .metrics()
      .reduce((n, m) => n + m.batches.length, 0),
  );
