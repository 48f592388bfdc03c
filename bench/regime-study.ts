// The regime study of issue 15: `sundew compare` in every training-data regime
// (clean, label noise, long tail, duplicates) at one budget of sample passes,
// 5 seeds, AST against the random control and tuned full training. Each regime
// is one `sundew compare` (its command is printed and kept in the summary), run
// in its own process, `--jobs` at a time: sample passes do not drift with the
// machine, so regimes can run side by side.
//
// Run:  npx tsx bench/regime-study.ts --out docs/results/selection-regimes --budget 24000 --jobs 2 \
//         [--scorer noise-aware] [--regimes clean,noise-20,…] [--seeds 1,2,3,4,5] [--methods full-tuned,random]
// (runs already finished with the same settings are kept: `--resume`; a first pass of the
// baselines alone, then one with AST, trains each baseline run once)
// Then: npx tsx bench/regime-study.ts --out docs/results/selection-regimes --pack
//       (gzip each run's metrics.json, drop checkpoints and per-batch CSVs, write summary.md/json)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { arg } from './lib.js';

/** The regimes and their flags. */
export const REGIMES: Record<string, string[]> = {
  clean: [],
  'noise-5': ['--label-noise', '0.05'],
  'noise-10': ['--label-noise', '0.1'],
  'noise-20': ['--label-noise', '0.2'],
  'noise-30': ['--label-noise', '0.3'],
  'noise-40': ['--label-noise', '0.4'],
  'tail-10': ['--imbalance', '10'],
  'tail-100': ['--imbalance', '100'],
  'dup-4': ['--duplicates', '4'],
  'noise-20-tail-10': ['--label-noise', '0.2', '--imbalance', '10'],
};

const out = resolve(arg('out', 'docs/results/selection-regimes'));
const cli = fileURLToPath(new URL('../packages/cli/bin/sundew.js', import.meta.url));

/** The compare command of one regime, as a user would type it. */
function commandOf(regime: string): string[] {
  const scorer = arg('scorer', '');
  return [
    'compare',
    '--budget-samples',
    arg('budget', '24000'),
    '--seeds',
    arg('seeds', '1,2,3,4,5'),
    '--methods',
    arg('methods', 'full-tuned,ast,random'),
    '--tune-batch-sizes',
    arg('tune-batch-sizes', '32,128'),
    '--tune-lrs',
    arg('tune-lrs', '0.001,0.002,0.004'),
    ...(scorer ? ['--scorer', scorer] : []),
    ...REGIMES[regime]!,
    '--progress',
    'none',
    '--format',
    'svg,png',
    '--resume',
    '--out',
    join(arg('out', 'docs/results/selection-regimes'), regime),
  ];
}

function run(regime: string): Promise<void> {
  const args = commandOf(regime);
  process.stderr.write(`start ${regime}: npx sundew ${args.join(' ')}\n`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (d: Buffer) => {
      log += d.toString();
      for (const line of d.toString().split('\n'))
        if (/^\[\d+\/\d+\]/.test(line)) process.stderr.write(`${regime} ${line}\n`);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => {
      if (code === 0) {
        process.stderr.write(`done ${regime}\n`);
        done();
      } else fail(new Error(`${regime} failed (exit ${code}):\n${log.slice(-3000)}`));
    });
  });
}

/** Gzip every run's metrics.json, drop what a committed study does not need. */
async function pack(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await pack(path);
    else if (entry.name === 'metrics.json' && existsSync(join(dir, 'epochs.csv'))) {
      await writeFile(`${path}.gz`, gzipSync(await readFile(path), { level: 9 }));
      await rm(path);
    } else if (/^checkpoint\.bin/.test(entry.name) || entry.name === 'batches.csv') await rm(path);
  }
}

interface Estimate {
  mean: number;
  low: number | null;
  high: number | null;
}
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
const ci = (e: Estimate | null | undefined) =>
  !e ? 'not measured' : e.low === null ? pts(e.mean) : `${pts(e.mean)} [${pts(e.low)}, ${pts(e.high!)}]`;
const acc = (e: Estimate | undefined) => (e ? (100 * e.mean).toFixed(1) : 'n/a');

/** The `sundew compare` command that makes a comparison with this (validated) config. */
function commandFromConfig(config: Record<string, unknown>, outDir: string): string {
  const list = (v: unknown) => (v as number[]).join(',');
  const parts = [
    'npx sundew compare',
    config['budgetSamples']
      ? `--budget-samples ${list(config['budgetSamples'])}`
      : `--budget-seconds ${list(config['budgetSeconds'])}`,
    `--seeds ${list(config['seeds'])}`,
    `--methods ${(config['methods'] as string[]).join(',')}`,
    `--tune-batch-sizes ${list(config['tuneBatchSizes'])}`,
    `--tune-lrs ${list(config['tuneLrs'])}`,
    ...(config['scorer'] ? [`--scorer ${config['scorer']}`] : []),
    ...(config['labelNoise'] !== undefined ? [`--label-noise ${config['labelNoise']}`] : []),
    ...(config['imbalance'] !== undefined ? [`--imbalance ${config['imbalance']}`] : []),
    ...(config['duplicates'] !== undefined ? [`--duplicates ${config['duplicates']}`] : []),
    `--out ${outDir}`,
  ];
  return parts.join(' ');
}

/** One line per regime: accuracies, AST's differences with 95 % intervals, the tuned full setting. */
async function summary(regimes: string[]): Promise<void> {
  const lines = [
    '| regime | tuned full | random | AST | AST − random [95 % CI] | AST − tuned full [95 % CI] | AST balanced acc. | tuned full setting |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const json: Record<string, unknown> = {};
  for (const regime of regimes) {
    const file = join(out, regime, 'compare.json');
    if (!existsSync(file)) continue;
    const { summary: s, rows, config } = JSON.parse(await readFile(file, 'utf8'));
    const b = s[0];
    const ast = rows.filter((r: { method: string }) => r.method === 'ast');
    const balanced =
      ast.reduce((t: number, r: { valBalancedAccuracy: number }) => t + r.valBalancedAccuracy, 0) /
      ast.length;
    const best = b.tuning[0];
    lines.push(
      `| ${regime} | ${acc(b.accuracy['full-tuned'])} | ${acc(b.accuracy.random)} | ${acc(b.accuracy.ast)} | ` +
        `${ci(b.differences.random)} | ${ci(b.differences.fullTuned)} | ${(100 * balanced).toFixed(1)} | ` +
        `${best ? `batch ${best.batchSize}, lr ${best.lr}` : 'n/a'} |`,
    );
    json[regime] = {
      command: commandFromConfig(config, join(arg('out', 'docs/results/selection-regimes'), regime)),
      summary: b,
    };
  }
  await writeFile(join(out, 'summary.md'), `${lines.join('\n')}\n`);
  await writeFile(join(out, 'summary.json'), `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const regimes = arg('regimes', Object.keys(REGIMES).join(',')).split(',');
for (const r of regimes)
  if (!REGIMES[r]) throw new Error(`unknown regime ${r}; known: ${Object.keys(REGIMES).join(', ')}`);
if (process.argv.includes('--pack')) {
  await summary(regimes);
  await pack(out);
} else if (process.argv.includes('--summary')) {
  await summary(regimes);
} else {
  const queue = [...regimes];
  const jobs = Number(arg('jobs', '2'));
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let r = queue.shift(); r !== undefined; r = queue.shift()) await run(r);
    }),
  );
  await summary(regimes);
}
