import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readRunMetrics } from '@sundew/metrics';
import { describe, expect, it } from 'vitest';
import { errorLine, runCli } from './testing/run-cli.js';

const tiny = ['--dataset', 'synthetic', '--limit-train', '128', '--limit-test', '32', '--batch-size', '32'];
const quiet = ['--backend', 'wasm', '--progress', 'none', '--format', 'svg'];

describe('sundew compare', () => {
  it('runs full, AST and the random control per budget and seed from the same initial weights', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-compare-'));
    const r = await runCli(
      'compare',
      ...quiet,
      ...tiny,
      '--budget-seconds',
      '0.3,0.6',
      '--seeds',
      '1,2',
      '--out',
      dir,
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(await readFile(join(dir, 'compare.json'), 'utf8'));
    expect(result.rows).toHaveLength(12);
    for (const row of result.rows) {
      // Each run stops at its budget (one batch may overshoot it).
      expect(row.trainSeconds).toBeGreaterThanOrEqual(row.budgetSeconds);
      expect(row.trainSeconds).toBeLessThan(row.budgetSeconds + 0.5);
    }
    expect(result.summary.map((s: { budgetSeconds: number }) => s.budgetSeconds)).toEqual([0.3, 0.6]);
    expect(result.summary[0].astMinusRandom).toHaveLength(2);
    const random = await readRunMetrics(join(dir, 'budget-0.3s', 'seed-1', 'random', 'metrics.json'));
    expect(random.run.config['scorer']).toBe('random');
    expect(random.run.config['seed']).toBe(1);
    const full = await readRunMetrics(join(dir, 'budget-0.3s', 'seed-1', 'full', 'metrics.json'));
    expect(full.run.mode).toBe('full');
    expect(r.out).toMatch(/\| 0\.3 s \| AST \|/);
    expect(r.out).toMatch(
      /vs random [+-]\d+\.\d \[[+-]\d+\.\d, [+-]\d+\.\d\] \([+-]\d+\.\d, [+-]\d+\.\d\); vs full/,
    );
    for (const f of ['compare.md', 'equal_budget.svg', 'comparison_0.3s.svg', 'comparison_0.6s.svg']) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    expect(existsSync(join(dir, 'equal_budget.png'))).toBe(false);
  });

  it('with --resume keeps the finished runs, retrains a missing one and refuses runs made with other settings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-compare-'));
    const args = [...quiet, ...tiny, '--budget-seconds', '0.3', '--methods', 'full,ast', '--out', dir];
    expect((await runCli('compare', ...args)).code).toBe(0);
    const first = JSON.parse(await readFile(join(dir, 'compare.json'), 'utf8'));
    const astMetrics = join(dir, 'budget-0.3s', 'seed-1', 'ast', 'metrics.json');
    const before = await readFile(astMetrics, 'utf8');
    await rm(join(dir, 'budget-0.3s', 'seed-1', 'full', 'metrics.json'));

    // How progress is shown is no setting of a run.
    const again = await runCli('compare', ...args, '--resume', '--progress', 'lines');
    expect(again.code).toBe(0);
    expect(again.err).toContain(`kept the finished run in ${join(dir, 'budget-0.3s', 'seed-1', 'ast')}`);
    expect(again.err).not.toContain('kept the finished run in ' + join(dir, 'budget-0.3s', 'seed-1', 'full'));
    // The kept run is untouched and reported as it was; the missing one was trained again.
    expect(await readFile(astMetrics, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'budget-0.3s', 'seed-1', 'full', 'metrics.json'))).toBe(true);
    const second = JSON.parse(await readFile(join(dir, 'compare.json'), 'utf8'));
    expect(second.rows[1]).toEqual(first.rows[1]);

    const other = await runCli('compare', ...args, '--resume', '--lr', '0.05');
    expect(other.code).not.toBe(0);
    expect(errorLine(other)).toMatch(
      /metrics\.json was made with lr = .*, this comparison wants 0\.05; remove that folder/,
    );

    // A run a study packed (metrics.json.gz only) is a finished run too.
    await writeFile(`${astMetrics}.gz`, gzipSync(before));
    await rm(astMetrics);
    const packed = await runCli('compare', ...args, '--resume', '--progress', 'lines');
    expect(packed.code).toBe(0);
    expect(packed.err).toContain(`kept the finished run in ${join(dir, 'budget-0.3s', 'seed-1', 'ast')}`);
    expect(existsSync(astMetrics)).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'compare.json'), 'utf8')).rows).toEqual(second.rows);
  });

  it('at equal sample passes: tuned full training (a sweep on the first seed), 3 seeds interleaved, 95 % intervals', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-compare-'));
    const r = await runCli(
      'compare',
      ...quiet,
      ...tiny,
      '--budget-samples',
      '300',
      '--seeds',
      '1,2,3',
      '--methods',
      'full-tuned,ast,random',
      '--tune-batch-sizes',
      '16,32',
      '--tune-lrs',
      '0.002',
      '--label-noise',
      '0.2',
      '--out',
      dir,
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(await readFile(join(dir, 'compare.json'), 'utf8'));
    // 3 seeds × (ast, random) + the sweep's 2 runs on seed 1 + the best on seeds 2 and 3.
    expect(r.err).toMatch(/\[10\/10\]/);
    expect(result.rows).toHaveLength(9);
    for (const row of result.rows) {
      // Each run stops at the first batch that reaches the budget.
      expect(row.samplePasses).toBeGreaterThanOrEqual(300);
      expect(row.samplePasses).toBeLessThan(300 + 32);
      expect(row.budgetUnit).toBe('samples');
    }
    const s = result.summary[0];
    expect(s.tuning).toHaveLength(2);
    const best = s.tuning[0];
    const tuned = result.rows.filter((x: { method: string }) => x.method === 'full-tuned');
    expect(tuned.map((x: { batchSize: number }) => x.batchSize)).toEqual([
      best.batchSize,
      best.batchSize,
      best.batchSize,
    ]);
    expect(s.accuracy.ast.n).toBe(3);
    expect(s.accuracy.ast.low).toBeLessThanOrEqual(s.accuracy.ast.mean);
    expect(s.differences.fullTuned.n).toBe(3);
    expect(s.astMinusFullTuned).toHaveLength(3);
    // Each seed runs the methods in another order.
    const order = r.err
      .split('\n')
      .filter((l) => /^\[\d+\/10\]/.test(l))
      .map((l) => l.replace(/^.*: /, '').replace(/ \(batch.*$/, ''));
    expect(order).toEqual([
      ...['full-tuned', 'full-tuned', 'ast', 'random'],
      ...['ast', 'random', 'full-tuned'],
      ...['random', 'full-tuned', 'ast'],
    ]);
    // The regime is every run's, and said in the runs' metrics.
    const ast = await readRunMetrics(join(dir, 'budget-300-passes', 'seed-2', 'ast', 'metrics.json'));
    expect(ast.run.config['regime']).toBe('label noise 20 %');
    expect(ast.run.config['labelNoise']).toBe(0.2);
    expect(r.out).toMatch(/vs random [+-]\d+\.\d \[[+-]\d+\.\d, [+-]\d+\.\d\]/);
    expect(r.out).toMatch(/Tuned full training: the sweep on seed 1/);
  });

  it('needs a budget and refuses bad lists with one clear line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-compare-'));
    expect(errorLine(await runCli('compare', '--out', dir))).toBe(
      'sundew: --budget-seconds: compare needs a budget: --budget-seconds (e.g. 10,30,90) or --budget-samples (e.g. 24000,48000)',
    );
    expect(
      errorLine(await runCli('compare', '--budget-seconds', '5', '--budget-samples', '100', '--out', dir)),
    ).toMatch(
      /^sundew: --budget-seconds: --budget-seconds and --budget-samples are two budgets for one comparison: keep one/,
    );
    expect(errorLine(await runCli('compare', '--budget-seconds', '10,x', '--out', dir))).toBe(
      "error: option '--budget-seconds <list>' argument '10,x' is invalid. --budget-seconds expects comma-separated numbers, e.g. 10,30,90.",
    );
    expect(errorLine(await runCli('compare', '--budget-seconds', '0', '--out', dir))).toMatch(
      /^sundew: --budget-seconds: .*received \[0\]/,
    );
    expect(
      errorLine(await runCli('compare', '--budget-seconds', '5', '--methods', 'full,magic', '--out', dir)),
    ).toBe('sundew: --methods: must be one of full, full-tuned, ast, random; received ["full","magic"]');
  });
});
