import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateFullDisk } from '@sundew/trainer/testing';
import { describe, expect, it } from 'vitest';
import {
  type BadInputCase,
  BUNDLED_DIR,
  compareCases,
  configCases,
  conflictCases,
  dataCases,
  plotCases,
  trainFlagCases,
} from './testing/bad-input-cases.js';
import { type CliRun, errorLine, runCli } from './testing/run-cli.js';

const quiet = ['--backend', 'wasm', '--progress', 'none'];
const tiny = ['--dataset', 'synthetic', '--limit-train', '64', '--limit-test', '32', '--batch-size', '32'];
const doc = readFile(new URL('../../../docs/reliability.md', import.meta.url), 'utf8');

/** Replace the case folder and the bundled data folder by the placeholders the catalogue uses. */
const normalise = (text: string, dir: string): string =>
  text.replaceAll(dir, '<dir>').replaceAll(BUNDLED_DIR, '<bundled>');

async function runCase(c: BadInputCase): Promise<{ r: CliRun; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sundew-bad-'));
  await c.setup?.(dir);
  const args = c.args.map((a) => a.replace('<dir>', dir).replace('<bundled>', BUNDLED_DIR));
  const own = args.includes('--out') || args.includes('--config') ? [] : ['--out', join(dir, 'run')];
  const extra = args[0] === 'train' ? [...quiet, ...own] : [];
  return { r: await runCli(args[0]!, ...extra, ...args.slice(1)), dir };
}

describe.each([
  ['every flag of sundew train', trainFlagCases],
  ['flags that contradict each other or the data', conflictCases],
  ['--config files', configCases],
  ['dataset folders', dataCases],
  ['every flag of sundew plot', plotCases],
  ['the flags of sundew compare', compareCases],
])('bad input: %s', (_group, cases) => {
  it.each(cases.map((c) => [`${c.input}: ${c.what}`, c] as const))(
    '%s → exit 2, one line, nothing written',
    async (_name, c) => {
      const { r, dir } = await runCase(c);
      expect(r.code).toBe(2);
      expect(r.errLines.filter((l) => /^(sundew|error):/.test(l))).toHaveLength(1);
      expect(normalise(errorLine(r)!, dir)).toBe(c.message);
      expect(existsSync(join(dir, 'run', 'metrics.json'))).toBe(false);
      expect(await doc).toContain(c.message);
    },
  );
});

describe('bad input: a --config file with a byte-order mark is read', () => {
  it('trains with it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-bom-'));
    await writeFile(join(dir, 'c.json'), `\uFEFF${JSON.stringify({ epochs: 1, limitTrain: 32 })}`);
    const r = await runCli('train', ...quiet, ...tiny, '--config', join(dir, 'c.json'), '--out', dir);
    expect(r.code).toBe(0);
  });
});

it.skipIf(process.getuid?.() === 0)(
  'bad input: an unwritable output folder is refused before training',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cli-'));
    await mkdir(join(dir, 'ro'));
    await chmod(join(dir, 'ro'), 0o500);
    const r = await runCli('train', ...quiet, ...tiny, '--out', join(dir, 'ro', 'run'));
    expect(r.code).toBe(2);
    expect(errorLine(r)).toBe(`sundew: --out ${join(dir, 'ro', 'run')}: cannot write there (EACCES)`);
  },
);

describe('faults around a run: checkpoints and a full disk', () => {
  const train = (out: string, ...more: string[]) => runCli('train', ...quiet, ...tiny, '--out', out, ...more);
  const expectCataloguedError = async (r: CliRun, dir: string, message: string) => {
    expect(r.code).toBe(2);
    expect(normalise(errorLine(r)!, dir)).toBe(message);
    expect(await doc).toContain(message);
  };

  it('--resume with a checkpoint of another model or batch size: names what differs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-other-'));
    expect((await train(join(dir, 'run'), '--epochs', '1')).code).toBe(0);
    await expectCataloguedError(
      await train(join(dir, 'run'), '--epochs', '2', '--resume', '--batch-size', '16'),
      dir,
      'sundew: <dir>/run/checkpoint.bin: checkpoint of another model, configuration or dataset (batchSize 32 in the checkpoint, 16 now); resume with the settings it was written with, or train into another folder',
    );
    await expectCataloguedError(
      await train(join(dir, 'run'), '--epochs', '2', '--resume', '--model', 'reference'),
      dir,
      'sundew: <dir>/run/checkpoint.bin: checkpoint of another model, configuration or dataset (model "vit-tiny" in the checkpoint, "vit-reference" now; variables 32 variables, 72,074 parameters in the checkpoint, 80 variables, 3,195,146 parameters now); resume with the settings it was written with, or train into another folder',
    );
  });

  it('a corrupt newest checkpoint: a warning, and the run continues from the previous one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-corrupt-'));
    const run = join(dir, 'run');
    expect((await train(run, '--epochs', '2')).code).toBe(0);
    const bytes = await readFile(join(run, 'checkpoint.bin'));
    await writeFile(join(run, 'checkpoint.bin'), bytes.subarray(0, bytes.length - 100));
    // As if killed before its metrics were written (a finished run is not resumed again).
    await rm(join(run, 'metrics.json'));
    const r = await train(run, '--epochs', '2', '--resume');
    expect(r.code).toBe(0);
    const warning =
      '<dir>/run/checkpoint.bin: checksum mismatch: the file is truncated or corrupt; resuming from the previous checkpoint <dir>/run/checkpoint.bin.prev';
    expect(r.errLines.map((l) => normalise(l, dir))).toContain(warning);
    expect(await doc).toContain(warning);
    expect(r.errLines.map((l) => normalise(l, dir))).toContain(
      'resumed from <dir>/run/checkpoint.bin at epoch 2, batch 1',
    );
    await writeFile(join(run, 'checkpoint.bin'), 'garbage');
    await writeFile(join(run, 'checkpoint.bin.prev'), 'garbage');
    await rm(join(run, 'metrics.json'));
    await expectCataloguedError(
      await train(run, '--epochs', '2', '--resume'),
      dir,
      'sundew: <dir>/run/checkpoint.bin: not a Sundew weights file (expected the magic "SUNDEWWT"), and no usable previous checkpoint',
    );
  });

  it('a disk that is full mid-run: one clear line, no temp file, no metrics; --resume continues once there is space', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-full-'));
    const run = join(dir, 'run');
    await mkdir(run);
    const restore = simulateFullDisk(run);
    const r = await train(run, '--epochs', '1', '--checkpoint-every', '1').finally(restore);
    await expectCataloguedError(
      r,
      dir,
      'sundew: <dir>/run/checkpoint.bin: cannot write the checkpoint (ENOSPC: no space left on device); the last good checkpoint is kept. Free some space or fix the folder, then resume from it with --resume',
    );
    expect(await readdir(run)).toEqual([]);
    expect((await train(run, '--epochs', '1', '--checkpoint-every', '1', '--resume')).code).toBe(0);
    expect(existsSync(join(run, 'metrics.json'))).toBe(true);
  });

  it('a disk that is full when the metrics are written: the run is kept, --resume writes them later', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-full-end-'));
    const run = join(dir, 'run');
    expect((await train(run, '--epochs', '1')).code).toBe(0);
    const first = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    // The run finished but its metrics were not written (the state a full disk at the very end leaves).
    await rm(join(run, 'metrics.json'));
    const restore = simulateFullDisk(run);
    const r = await train(run, '--epochs', '1', '--resume').finally(restore);
    await expectCataloguedError(
      r,
      dir,
      'sundew: <dir>/run/epochs.csv: cannot write (ENOSPC: no space left on device); the run is complete in <dir>/run/checkpoint.bin: free some space, then rerun the same command with --resume to write the metrics',
    );
    expect((await readdir(run)).sort()).toEqual(['batches.csv', 'checkpoint.bin', 'epochs.csv']);
    expect((await train(run, '--epochs', '1', '--resume')).code).toBe(0);
    const again = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    expect(again.batches).toEqual(first.batches);
    expect(again.epochs).toEqual(first.epochs);
  });
});
