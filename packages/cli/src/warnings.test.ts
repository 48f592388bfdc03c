import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunMetrics } from '@sundew/metrics';
import { describe, expect, it } from 'vitest';
import { writeIdxFolder } from './testing/data-folders.js';
import { type CliRun, runCli } from './testing/run-cli.js';

// What is valid but not what the user may think: the run goes on and says so
// (each line is in docs/reliability.md's catalogue), and the records are honest.
const quiet = ['--backend', 'wasm', '--progress', 'none'];
const tiny = ['--dataset', 'synthetic', '--limit-train', '64', '--limit-test', '32', '--batch-size', '32'];
const doc = readFile(new URL('../../../docs/reliability.md', import.meta.url), 'utf8');
const train = (out: string, ...more: string[]) => runCli('train', ...quiet, ...tiny, '--out', out, ...more);
const lines = (r: CliRun, dir: string) => r.errLines.map((l) => l.replaceAll(dir, '<dir>'));

async function expectWarning(r: CliRun, dir: string, warning: string): Promise<void> {
  expect(r.code).toBe(0);
  expect(lines(r, dir)).toContain(warning);
  expect(await doc).toContain(warning);
}

describe('warnings: the run goes on and says what it does instead', () => {
  it('--target-rate below what the batch size can hold (the 2-sample fallback)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-warn-'));
    await expectWarning(
      await train(join(dir, 'run'), '--epochs', '1', '--target-rate', '0.001'),
      dir,
      'warning: --target-rate 0.001 is below what batches of 32 can hold: when the gate picks no sample the trainer trains 2 at random, so at least 2/32 = 6.3 % are trained; for 0.001 use --batch-size 2000 or more',
    );
  });

  it('--limit-train above the images the folder has', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-warn-'));
    await writeIdxFolder(join(dir, 'data'), { count: 20 });
    const r = await runCli(
      'train',
      ...quiet,
      '--data-dir',
      join(dir, 'data'),
      '--limit-train',
      '100000',
      '--epochs',
      '1',
      '--batch-size',
      '10',
      '--out',
      join(dir, 'run'),
    );
    await expectWarning(
      r,
      dir,
      'warning: --limit-train 100000: fashion-mnist/train has 20 images; using all of them',
    );
  });
});

describe('the output folder: replacing and resuming a run', () => {
  it('--out over a finished run: says so and leaves none of the old files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-out-'));
    const run = join(dir, 'run');
    expect((await train(run, '--epochs', '2', '--checkpoint-every', '1')).code).toBe(0);
    expect(existsSync(join(run, 'checkpoint.bin.prev'))).toBe(true);
    const r = await train(run, '--epochs', '1', '--seed', '5');
    await expectWarning(
      r,
      dir,
      'warning: --out <dir>/run: replacing the finished run there (metrics.json, CSVs, checkpoints); to keep it, train into another --out',
    );
    // One epoch, checkpointed once: no `.prev` of the old run beside the new checkpoint.
    expect((await readdir(run)).sort()).toEqual([
      'batches.csv',
      'checkpoint.bin',
      'epochs.csv',
      'metrics.json',
    ]);
    expect((await readRunMetrics(join(run, 'metrics.json'))).run.config['seed']).toBe(5);
  });

  it('--out over an interrupted run without --resume: says it is discarded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-out-'));
    const run = join(dir, 'run');
    expect((await train(run, '--epochs', '1')).code).toBe(0);
    await import('node:fs/promises').then((fs) => fs.rm(join(run, 'metrics.json')));
    await expectWarning(
      await train(run, '--epochs', '1'),
      dir,
      'warning: --out <dir>/run: discarding the unfinished run there (checkpoint.bin); continue it with --resume instead',
    );
  });

  it('--resume of a finished run: nothing to do, the metrics are left as they are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-done-'));
    const run = join(dir, 'run');
    expect((await train(run, '--epochs', '1')).code).toBe(0);
    const before = await stat(join(run, 'metrics.json'));
    const text = await readFile(join(run, 'metrics.json'), 'utf8');
    const r = await train(run, '--epochs', '1', '--resume');
    expect(r.code).toBe(0);
    expect(r.out.replaceAll(dir, '<dir>')).toMatch(
      /^ast-stale-loss-guarded-balanced: the run in <dir>\/run is already complete \(1 of 1 epochs, val acc .*\); nothing to do: raise --epochs to train further, or train into another --out$/,
    );
    expect(await doc).toContain('is already complete (1 of 1 epochs, val acc');
    expect(r.errLines.some((l) => l.startsWith('resumed'))).toBe(false);
    expect(await readFile(join(run, 'metrics.json'), 'utf8')).toBe(text);
    expect((await stat(join(run, 'metrics.json'))).mtimeMs).toBe(before.mtimeMs);
  });

  it('--resume with more epochs: says the schedule stretches; with fewer than trained: an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-more-'));
    const run = join(dir, 'run');
    expect((await train(run, '--epochs', '2')).code).toBe(0);
    const fewer = await train(run, '--epochs', '1', '--resume');
    expect(fewer.code).toBe(2);
    const error =
      'sundew: --epochs 1: the run in <dir>/run has already trained 2 epochs; resume with --epochs 2, or train into another --out';
    expect(lines(fewer, dir)).toContain(error);
    expect(await doc).toContain(error);
    await expectWarning(
      await train(run, '--epochs', '3', '--resume'),
      dir,
      'warning: --epochs 3: the run in <dir>/run was started with --epochs 2; its cosine schedule now spans 3 epochs from here on, so it will not match a run trained with --epochs 3 from the start',
    );
    expect((await readRunMetrics(join(run, 'metrics.json'))).epochs).toHaveLength(3);
  });
});

describe('honest metrics', () => {
  it('a full run records the clip norm the trainer used and none of AST options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-full-'));
    expect((await train(join(dir, 'run'), '--epochs', '1', '--mode', 'full')).code).toBe(0);
    const { run } = await readRunMetrics(join(dir, 'run', 'metrics.json'));
    expect(run.config['clipNorm']).toBe(1);
    for (const key of ['scorer', 'gate', 'targetRate', 'selection', 'reweight', 'warmupEpochs']) {
      expect(run.config, key).not.toHaveProperty(key);
    }
    expect(run.targetActivationRate).toBeUndefined();
  });
});
