import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunMetrics } from '@sundew/metrics';
import { describe, expect, it } from 'vitest';
import { main } from './index.js';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  await main(['node', 'sundew', ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    setExitCode: (c) => {
      code = c;
    },
  });
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

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

describe('sundew train: bad input exits 2 with one clear line and no metrics.json', () => {
  const cases: [string[], RegExp][] = [
    [['--bogus'], /unknown option '--bogus'/],
    [['--target-rate', '1.5'], /--target-rate: Too big: expected number to be <=1; received 1\.5/],
    [['--target-rate', '0'], /--target-rate: .*>0/],
    [['--epochs', 'abc'], /--epochs expects an integer/],
    [['--epochs', '0'], /--epochs: Too small/],
    [['--batch-size', '-3'], /--batch-size: Too small/],
    [['--threads', '0'], /--threads: Too small/],
    [['--threads', 'two'], /--threads expects an integer/],
    [['--lr', 'fast'], /--lr expects a number/],
    [['--mode', 'turbo'], /argument 'turbo' is invalid.*sparse, full, sample/],
    [['--scorer', 'magic'], /--scorer: Invalid option: expected one of "batch-relative"\|/],
    [['--gate', 'nope'], /--gate: Invalid option: expected one of "sundew"\|/],
    [['--dataset', 'cifar10'], /--dataset cifar10 needs --data-dir/],
    [
      ['--data-dir', '/nonexistent/fmnist'],
      /train-images-idx3-ubyte\.gz: file not found; expected Fashion-MNIST IDX files/,
    ],
    [['--backend', 'tensorflow'], /npm install @tensorflow\/tfjs-node/],
  ];
  it.each(cases)('%j', async (args, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    const r = await run('train', ...quiet, '--out', dir, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.errLines.filter((l) => /error|sundew:/.test(l))).toHaveLength(1);
    expect(existsSync(join(dir, 'metrics.json'))).toBe(false);
  });

  it('rejects unknown keys and wrong types in --config, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ epochs: 2, learningRate: 0.1 }));
    await writeFile(join(dir, 'type.json'), JSON.stringify({ epochs: 'two' }));
    await writeFile(join(dir, 'broken.json'), '{"epochs": ');
    expect((await run('train', '--config', join(dir, 'bad.json'))).err).toMatch(
      /bad\.json: unknown option "learningRate"/,
    );
    expect((await run('train', '--config', join(dir, 'type.json'))).err).toMatch(
      /type\.json: "epochs": .*expected number/,
    );
    expect((await run('train', '--config', join(dir, 'broken.json'))).err).toMatch(
      /broken\.json: not valid JSON/,
    );
    expect((await run('train', '--config', join(dir, 'missing.json'))).err).toMatch(
      /missing\.json: cannot read the file \(ENOENT\)/,
    );
  });

  it.skipIf(process.getuid?.() === 0)('refuses an unwritable output folder before training', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    await mkdir(join(dir, 'ro'));
    await chmod(join(dir, 'ro'), 0o500);
    const r = await run('train', ...quiet, ...tiny, '--out', join(dir, 'ro', 'run'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write there/);
  });

  it('refuses an output path that is a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    await writeFile(join(dir, 'file'), 'x');
    const r = await run('train', ...quiet, ...tiny, '--out', join(dir, 'file', 'run'));
    expect(r.code).toBe(2);
    expect(r.errLines.filter((l) => l.startsWith('sundew:'))).toHaveLength(1);
    expect(r.err).toMatch(/--out .*: cannot write there \(ENOTDIR\)/);
  });
});

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
    expect(metrics.run.config['scorer']).toBe('batch-relative');
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
    expect(svg).toMatch(/faster than full training/);
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
