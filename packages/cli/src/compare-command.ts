import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readRunMetrics, summarizeRun } from '@sundew/metrics';
import { comparison, type EqualBudgetRow, equalBudget, svgToPng } from '@sundew/plot';
import type { RunMetrics } from '@sundew/types';
import writeFileAtomic from 'write-file-atomic';
import type { CompareConfig, CompareMethod } from './compare-config.js';
import { UsageError } from './errors.js';
import { parseFormats } from './plot-command.js';
import { SPARSE_ONLY } from './train-checks.js';
import { runTraining, type TrainingOutcome } from './train-command.js';
import { type TrainConfig, trainConfigSchema } from './train-config.js';
import { ensureWritableDir } from './writable-dir.js';

/** One run of a comparison. */
export interface CompareRow extends EqualBudgetRow {
  label: string;
  bestValAccuracy: number | null;
  epochs: number;
  activationRate: number;
  samplesTrained: number;
  trainSeconds: number;
  stopped: string;
}

/** Per budget: each method's mean accuracy over the seeds and the differences the claims rest on. */
export interface BudgetSummary {
  budgetSeconds: number;
  meanAccuracy: Partial<Record<CompareMethod, number>>;
  /** AST − random control and AST − full, in accuracy points, per seed (same order as `seeds`). */
  astMinusRandom: number[] | null;
  astMinusFull: number[] | null;
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(1)} %`;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

/** The train configuration of one run of the comparison. */
function runConfig(
  config: CompareConfig,
  method: CompareMethod,
  budget: number,
  seed: number,
  out: string,
): TrainConfig {
  const { budgetSeconds: _b, seeds: _s, methods: _m, format: _f, resume: _r, scorer, ...shared } = config;
  return trainConfigSchema.parse({
    ...shared,
    mode: method === 'full' ? 'full' : 'sparse',
    ...(method === 'random' ? { scorer: 'random' } : scorer ? { scorer } : {}),
    seed,
    budgetSeconds: budget,
    label: method === 'ast' ? 'AST' : method === 'random' ? 'random control' : 'full training',
    out,
  });
}

/**
 * `sundew compare`: full training, AST and the random control from the same
 * seed and initial weights, each stopped by the same training-time budget,
 * for every budget and seed; then the table and the figures.
 */
export async function runCompare(
  config: CompareConfig,
  io: { out: (line: string) => void; err: (line: string) => void; signal?: AbortSignal },
): Promise<{ rows: CompareRow[]; summary: BudgetSummary[] }> {
  const formats = parseFormats(config.format);
  const outDir = resolve(config.out);
  await ensureWritableDir(outDir);
  const rows: CompareRow[] = [];
  const runs = new Map<string, RunMetrics>();
  const total = config.budgetSeconds.length * config.seeds.length * config.methods.length;
  let n = 0;
  for (const budget of config.budgetSeconds) {
    for (const seed of config.seeds) {
      for (const method of config.methods) {
        n++;
        io.err(`\n[${n}/${total}] budget ${budget} s, seed ${seed}: ${method}`);
        const dir = join(outDir, `budget-${budget}s`, `seed-${seed}`, method);
        const trainConfig = runConfig(config, method, budget, seed, dir);
        const finished = config.resume ? await finishedRun(trainConfig, dir) : null;
        if (finished) io.err(`kept the finished run in ${dir}`);
        // An interrupted run continues from its checkpoint; a run not started yet starts (the trainer says which).
        const outcome = finished ?? (await runTraining({ ...trainConfig, resume: config.resume }, io));
        if (outcome.stopped === 'aborted') return { rows, summary: summarize(config, rows) };
        const s = summarizeRun(outcome.metrics);
        runs.set(`${budget}/${seed}/${method}`, outcome.metrics);
        rows.push({
          budgetSeconds: budget,
          seed,
          method,
          label: outcome.metrics.run.label,
          valAccuracy: s.finalValAccuracy,
          bestValAccuracy: s.bestValAccuracy,
          epochs: s.epochs,
          activationRate: s.activationRate,
          samplesTrained: s.samplesProcessed,
          trainSeconds: s.trainSeconds,
          stopped: outcome.stopped,
        });
      }
    }
  }
  const summary = summarize(config, rows);
  const table = tableOf(config, rows, summary);
  for (const line of table) io.out(line);
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    const path = join(outDir, name);
    await writeFileAtomic(path, typeof data === 'string' ? data : Buffer.from(data));
    files.push(path);
  };
  await write('compare.json', `${JSON.stringify({ config, rows, summary }, null, 2)}\n`);
  await write('compare.md', `${table.join('\n')}\n`);
  const first = runs.values().next().value;
  const dataset = String(first?.run.config['dataset'] ?? 'data').replace(/\/train$/, '');
  const data = `${dataset}, ${(first?.run.trainSamples ?? 0).toLocaleString('en')} training images`;
  const figures: [string, string][] = [
    ['equal_budget', equalBudget(rows, { title: `Accuracy at equal training time (${data})` })],
  ];
  // One comparison per budget with every seed: several seeds draw as a spread.
  const seeds = config.seeds.join(', ');
  for (const budget of config.budgetSeconds) {
    const group = config.seeds.flatMap((seed) =>
      config.methods.map((m) => runs.get(`${budget}/${seed}/${m}`)).filter((r): r is RunMetrics => !!r),
    );
    figures.push([
      `comparison_${budget}s`,
      comparison(group, {
        title: `Equal budget of ${budget} training seconds, seed${config.seeds.length > 1 ? 's' : ''} ${seeds}`,
      }),
    ]);
  }
  for (const [name, svg] of figures) {
    if (formats.includes('svg')) await write(`${name}.svg`, svg);
    if (formats.includes('png')) await write(`${name}.png`, await svgToPng(svg));
  }
  io.out(`wrote ${files.join(', ')}`);
  return { rows, summary };
}

/**
 * With `--resume`: the run already finished in `dir`, if its metrics say it
 * was made with these settings; a run made with other settings is an error
 * rather than silently mixed into the table.
 */
async function finishedRun(config: TrainConfig, dir: string): Promise<TrainingOutcome | null> {
  const file = join(dir, 'metrics.json');
  if (!existsSync(file)) return null;
  const metrics = await readRunMetrics(file);
  const stored = metrics.run.config;
  // Where it was written and how progress was shown do not change a run.
  const {
    out: _o,
    resume: _r,
    progress: _p,
    checkpointEvery: _c,
    ...wanted
  } = config as Record<string, unknown>;
  for (const [key, value] of Object.entries(wanted)) {
    if (value === undefined) continue;
    // A full-training run records none of AST's options (it uses none).
    if (config.mode === 'full' && (SPARSE_ONLY as readonly string[]).includes(key)) continue;
    // The metrics name the set that was trained on (`fashion-mnist-subset/train`), not the option.
    const same =
      key === 'dataset'
        ? String(stored[key]).startsWith(String(value))
        : JSON.stringify(stored[key]) === JSON.stringify(value);
    if (!same) {
      throw new UsageError(
        `${file} was made with ${key} = ${JSON.stringify(stored[key])}, this comparison wants ${JSON.stringify(value)}; ` +
          'remove that folder or compare into another --out',
      );
    }
  }
  const s = summarizeRun(metrics);
  const stopped = s.trainSeconds >= config.budgetSeconds! ? 'budget' : 'completed';
  return { metrics, outDir: dir, stopped };
}

function summarize(config: CompareConfig, rows: CompareRow[]): BudgetSummary[] {
  return config.budgetSeconds.map((budget) => {
    const at = (method: CompareMethod, seed: number) =>
      rows.find((r) => r.budgetSeconds === budget && r.seed === seed && r.method === method)?.valAccuracy ??
      null;
    const meanAccuracy: BudgetSummary['meanAccuracy'] = {};
    for (const method of config.methods) {
      const accs = config.seeds.map((s) => at(method, s)).filter((a): a is number => a !== null);
      if (accs.length > 0) meanAccuracy[method] = accs.reduce((a, b) => a + b, 0) / accs.length;
    }
    const diff = (other: CompareMethod) => {
      const d = config.seeds.map((s) => {
        const a = at('ast', s);
        const b = at(other, s);
        return a === null || b === null ? null : a - b;
      });
      return d.every((x) => x !== null) ? (d as number[]) : null;
    };
    return {
      budgetSeconds: budget,
      meanAccuracy,
      astMinusRandom: diff('random'),
      astMinusFull: diff('full'),
    };
  });
}

function tableOf(config: CompareConfig, rows: CompareRow[], summary: BudgetSummary[]): string[] {
  const seeds = config.seeds;
  const lines = [
    `| budget | method | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean | epochs | activation |`,
    `|---|---|${seeds.map(() => '---|').join('')}---|---|---|`,
  ];
  for (const s of summary) {
    for (const method of config.methods) {
      const mine = rows.filter((r) => r.budgetSeconds === s.budgetSeconds && r.method === method);
      const accs = seeds.map((seed) => pct(mine.find((r) => r.seed === seed)?.valAccuracy));
      const epochs = mine.map((r) => r.epochs).join(' / ');
      const activation = mine.map((r) => pct(r.activationRate)).join(' / ');
      lines.push(
        `| ${s.budgetSeconds} s | ${mine[0]?.label ?? method} | ${accs.join(' | ')} | ${pct(s.meanAccuracy[method])} | ${epochs} | ${activation} |`,
      );
    }
  }
  lines.push('', 'AST minus the random control / minus full training, accuracy points per seed:', '');
  for (const s of summary) {
    const fmt = (d: number[] | null) => (d ? d.map(pts).join(', ') : 'not measured');
    lines.push(`- ${s.budgetSeconds} s: vs random ${fmt(s.astMinusRandom)}; vs full ${fmt(s.astMinusFull)}`);
  }
  return lines;
}
