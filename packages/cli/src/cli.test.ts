import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunMetrics } from '@sundew/metrics';
import { describe, expect, it } from 'vitest';
import { runCli } from './testing/run-cli.js';

const run = runCli;

const tiny = [
  '--dataset',
  'synthetic',
  '--limit-train',
  '64',
  '--limit-test',
  '32',
  '--batch-size',
  '32',
  '--epochs',
  '1',
];
const quiet = ['--backend', 'wasm', '--progress', 'none'];

describe('sundew train and plot', () => {
  it('trains a tiny run, writes metrics.json and CSVs, then draws the four figures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    const r = await run(
      'train',
      ...quiet,
      ...tiny,
      '--target-rate',
      '0.25',
      '--out',
      join(dir, 'ast'),
      '--label',
      'ast',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ast: 1 epoch\(s\), val acc/);
    expect((await readdir(join(dir, 'ast'))).sort()).toEqual([
      'batches.csv',
      'checkpoint.bin',
      'epochs.csv',
      'metrics.json',
    ]);
    const metrics = await readRunMetrics(join(dir, 'ast', 'metrics.json'));
    expect(metrics.run.targetActivationRate).toBe(0.25);
    // The default recipe: stale losses as percentiles under the Sundew gate, with a store sized for the rate.
    expect(metrics.run.config['scorer']).toBe('stale-loss-guarded-balanced');
    expect(metrics.run.config['gate']).toBe('sundew');
    expect(metrics.run.config['lr']).toBe(2e-3);
    expect(metrics.epochs).toHaveLength(1);
    expect(metrics.batches).toHaveLength(2);
    const p = await run(
      'plot',
      '--metrics',
      join(dir, 'ast', 'metrics.json'),
      '--out',
      join(dir, 'fig'),
      '--format',
      'svg',
    );
    expect(p.code).toBe(0);
    expect((await readdir(join(dir, 'fig'))).sort()).toEqual([
      'architecture_diagram.svg',
      'comparison.svg',
      'threshold_adaptation.svg',
      'training_results.svg',
    ]);
  });

  it('--preset reference reproduces the original script: batch-relative scores, its gate, rate 10 %, lr 1e-4', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    const r = await run('train', ...quiet, ...tiny, '--preset', 'reference', '--out', dir);
    expect(r.code).toBe(0);
    const metrics = await readRunMetrics(join(dir, 'metrics.json'));
    expect(metrics.run.targetActivationRate).toBe(0.1);
    expect(metrics.run.config).toMatchObject({ scorer: 'batch-relative', gate: 'sundew-script', lr: 1e-4 });
  });

  it('--gate infobatch trains what its rule keeps and records no target rate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    const args = ['--gate', 'infobatch', '--scorer', 'stale-loss', '--reweight', 'infobatch'];
    const r = await run('train', ...quiet, ...tiny, '--epochs', '2', ...args, '--out', dir);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/gate infobatch, no target rate/);
    expect(r.out).not.toMatch(/target/);
    const metrics = await readRunMetrics(join(dir, 'metrics.json'));
    expect(metrics.run.targetActivationRate).toBeUndefined();
    expect(metrics.run.config).toMatchObject({
      gate: 'infobatch',
      scorer: 'stale-loss',
      reweight: 'infobatch',
    });
    expect(metrics.run.config['targetRate']).toBeUndefined();
    // Epoch 1 trains every sample (never seen: +∞); epoch 2 prunes some of the below-mean ones.
    const [first, second] = metrics.epochs;
    expect(first!.samplesProcessed).toBe(64);
    expect(second!.samplesProcessed).toBeLessThan(64);
    expect(second!.samplesProcessed).toBeGreaterThan(16);
  });

  it('plot takes the speed bars from the full and sample-mode runs it is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    for (const [mode, extra] of [
      ['sparse', []],
      ['full', []],
      ['sample', ['--sample-batches', '1']],
    ] as const) {
      expect(
        (await run('train', ...quiet, ...tiny, '--mode', mode, ...extra, '--out', join(dir, mode))).code,
      ).toBe(0);
    }
    const p = await run(
      'plot',
      '--metrics',
      join(dir, 'sparse', 'metrics.json'),
      '--compare',
      join(dir, 'full', 'metrics.json'),
      '--baseline',
      join(dir, 'sample', 'metrics.json'),
      '--out',
      join(dir, 'fig'),
      '--format',
      'svg',
    );
    expect(p.code).toBe(0);
    const { readFile } = await import('node:fs/promises');
    const svg = await readFile(join(dir, 'fig', 'training_results.svg'), 'utf8');
    expect(svg).toMatch(/less time per epoch than full training/);
    expect(svg).toMatch(/for full training after 1 epoch/);
    expect(svg).toMatch(/extrapolated from 1 of 2 batches/);
    expect(svg).not.toMatch(/not measured/);
  });

  it('plot: a bad format or a missing metrics file is one clear line', async () => {
    expect((await run('plot', '--metrics', 'x.json', '--format', 'gif')).err).toMatch(
      /--format: expected a comma-separated list of svg, png; received "gif"/,
    );
    const r = await run('plot', '--metrics', '/nonexistent/metrics.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no such file; expected a metrics\.json written by `sundew train`/);
  });

  it('prints help and version', async () => {
    const help = await run('train', '--help');
    expect(help.out).toMatch(/--target-rate <r>/);
    expect(help.code).toBe(0);
    const version = await run('--version');
    expect(version.out).toMatch(/^\d+\.\d+\.\d+$/);
    expect(version.code).toBe(0);
  });
});
