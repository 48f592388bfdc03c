import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import {
  architectureDiagram,
  comparison,
  equalBudget,
  thresholdAdaptation,
  trainingDashboard,
} from './index.js';
import { fixtureRun } from './testing/fixtures.js';

/**
 * The structure of a figure, one line per element: tag, class, data-*
 * attributes and text, indented by depth; d3's axis internals and
 * coordinates left out, repeated siblings collapsed ("circle ×40"). A golden
 * file changes when what a figure shows changes, not when a line moves a
 * pixel: update them on purpose with `npx vitest run -u` and review the diff.
 */
function outline(svg: string): string {
  const doc = new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document;
  const lines: string[] = [];
  const walk = (el: Element, depth: number) => {
    const cls = el.getAttribute('class') ?? '';
    if (/\b(x-axis|y-axis|grid)\b/.test(cls)) {
      lines.push(`${'  '.repeat(depth)}${el.tagName} .${cls}`);
      return;
    }
    const data = [...el.attributes]
      .filter((a) => a.name.startsWith('data-'))
      .map((a) => `${a.name}=${a.value}`)
      .join(' ');
    const text = el.tagName === 'text' || el.tagName === 'title' ? ` "${el.textContent}"` : '';
    lines.push(
      `${'  '.repeat(depth)}${el.tagName}${cls ? ` .${cls}` : ''}${data ? ` [${data}]` : ''}${text}`,
    );
    if (el.tagName !== 'text') for (const child of el.children) walk(child, depth + 1);
  };
  walk(doc.documentElement, 0);
  const out: string[] = [];
  let count = 1;
  lines.forEach((line, i) => {
    if (line === lines[i + 1]) count++;
    else {
      out.push(count > 1 ? `${line} ×${count}` : line);
      count = 1;
    }
  });
  return `${out.join('\n')}\n`;
}

const dataset = { dataset: 'fashion-mnist-subset/train', gate: 'sundew' };
const ast = fixtureRun({
  label: 'ast',
  epochSeconds: 4,
  config: { ...dataset, scorer: 'stale-loss-percentile' },
  baselines: [
    { mode: 'full', epochSeconds: 10 },
    { mode: 'sample', epochSeconds: 90, measuredBatches: 2, batchesPerEpoch: 10 },
  ],
});
const full = fixtureRun({ mode: 'full', label: 'full', config: dataset, accuracyOffset: 0.05 });
const random = fixtureRun({ label: 'random', epochSeconds: 4, config: { ...dataset, scorer: 'random' } });

describe('golden structure of every figure', () => {
  it('dashboard: AST beside full training and the random control', async () => {
    await expect(outline(trainingDashboard(ast, { compare: [full, random] }))).toMatchFileSnapshot(
      '__golden__/training_results.txt',
    );
  });
  it('dashboard: a full run alone', async () => {
    await expect(outline(trainingDashboard(full))).toMatchFileSnapshot(
      '__golden__/training_results_full.txt',
    );
  });
  it('architecture diagram', async () => {
    await expect(outline(architectureDiagram(ast, { compare: [full, random] }))).toMatchFileSnapshot(
      '__golden__/architecture_diagram.txt',
    );
  });
  it('threshold adaptation', async () => {
    await expect(outline(thresholdAdaptation(ast))).toMatchFileSnapshot(
      '__golden__/threshold_adaptation.txt',
    );
  });
  it('comparison, two seeds of AST', async () => {
    const seed2 = fixtureRun({ label: 'ast', epochSeconds: 4.5, accuracyOffset: 0.02, config: dataset });
    await expect(outline(comparison([ast, seed2, full, random]))).toMatchFileSnapshot(
      '__golden__/comparison.txt',
    );
  });
  it('equal budget', async () => {
    const rows = [10, 20].flatMap((budgetSeconds) =>
      ['full', 'ast', 'random'].flatMap((method, m) =>
        [1, 2].map((seed) => ({ budgetSeconds, seed, method, valAccuracy: 0.7 + 0.01 * m + 0.002 * seed })),
      ),
    );
    await expect(outline(equalBudget(rows))).toMatchFileSnapshot('__golden__/equal_budget.txt');
  });
});
