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

/** What a budget counts: training seconds, or sample passes (trained samples + ⅓ of forward-only scored ones). */
export type BudgetUnit = 'seconds' | 'samples';

/** One run of a comparison. */
export interface CompareRow extends EqualBudgetRow {
  /** The budget in its unit (`budgetSeconds` repeats it for the figures). */
  budget: number;
  budgetUnit: BudgetUnit;
  label: string;
  bestValAccuracy: number | null;
  /** Mean per-class recall on the (balanced) test set after the last epoch. */
  valBalancedAccuracy: number | null;
  epochs: number;
  activationRate: number;
  samplesTrained: number;
  samplePasses: number;
  trainSeconds: number;
  /** The run's batch size and peak learning rate (a tuned full run: the sweep's best). */
  batchSize: number;
  lr: number;
  stopped: string;
}

/** A mean over seeds and its 95 % confidence interval (Student t; null with one seed). */
export interface Estimate {
  mean: number;
  low: number | null;
  high: number | null;
  n: number;
}

/** Per budget: each method's mean accuracy over the seeds and the differences the claims rest on. */
export interface BudgetSummary {
  budget: number;
  budgetUnit: BudgetUnit;
  /** Repeats `budget` for a seconds budget (older readers); null for a samples budget. */
  budgetSeconds: number | null;
  meanAccuracy: Partial<Record<CompareMethod, number>>;
  accuracy: Partial<Record<CompareMethod, Estimate>>;
  /** AST − random control, AST − full and AST − tuned full, in accuracy points, per seed (same order as `seeds`). */
  astMinusRandom: number[] | null;
  astMinusFull: number[] | null;
  astMinusFullTuned: number[] | null;
  /** The same differences' means with a 95 % interval (paired over seeds). */
  differences: { random: Estimate | null; full: Estimate | null; fullTuned: Estimate | null };
  /** The sweep of the tuned full baseline on the first seed, best first. */
  tuning: { batchSize: number; lr: number; valAccuracy: number | null }[];
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(1)} %`;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

/** Two-sided 95 % Student t quantiles for 1…30 degrees of freedom; 1.96 beyond. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean and 95 % t-interval of a sample (the interval is null for fewer than two values). */
export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: null, high: null, n };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (T95[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
  return { mean, low: mean - half, high: mean + half, n };
}

const METHOD_LABELS: Record<CompareMethod, string> = {
  full: 'full training',
  'full-tuned': 'full training, tuned',
  ast: 'AST',
  random: 'random control',
};

/** The train configuration of one run of the comparison. */
function runConfig(
  config: CompareConfig,
  method: CompareMethod,
  budget: { value: number; unit: BudgetUnit },
  seed: number,
  out: string,
  tuned?: { batchSize: number; lr: number },
): TrainConfig {
  const {
    budgetSeconds: _b,
    budgetSamples: _bs,
    seeds: _s,
    methods: _m,
    tuneBatchSizes: _tb,
    tuneLrs: _tl,
    format: _f,
    resume: _r,
    scorer,
    ...shared
  } = config;
  const full = method === 'full' || method === 'full-tuned';
  return trainConfigSchema.parse({
    ...shared,
    ...(tuned ? { batchSize: tuned.batchSize, lr: tuned.lr } : {}),
    mode: full ? 'full' : 'sparse',
    ...(method === 'random' ? { scorer: 'random' } : scorer && !full ? { scorer } : {}),
    seed,
    ...(budget.unit === 'seconds' ? { budgetSeconds: budget.value } : { budgetSamples: budget.value }),
    label:
      method === 'full-tuned' && tuned
        ? `full, batch ${tuned.batchSize}, lr ${tuned.lr}`
        : METHOD_LABELS[method],
    out,
  });
}

/** The budgets of a comparison, each with its unit and folder name. */
function budgetsOf(config: CompareConfig): { value: number; unit: BudgetUnit; dir: string; text: string }[] {
  if (config.budgetSeconds) {
    return config.budgetSeconds.map((value) => ({
      value,
      unit: 'seconds',
      dir: `budget-${value}s`,
      text: `${value} s`,
    }));
  }
  return (config.budgetSamples ?? []).map((value) => ({
    value,
    unit: 'samples',
    dir: `budget-${value}-passes`,
    text: `${value.toLocaleString('en')} passes`,
  }));
}

/** Each seed runs the methods in another order (a rotation), so a slow phase of the machine hits every method alike. */
export function interleavedOrder<T>(methods: readonly T[], seedIndex: number): T[] {
  const k = methods.length === 0 ? 0 : seedIndex % methods.length;
  return [...methods.slice(k), ...methods.slice(0, k)];
}

/**
 * `sundew compare`: full training (as configured and, with `full-tuned`, the
 * best of a batch-size × learning-rate sweep), AST and the random control from
 * the same seed and initial weights, each stopped by the same budget (training
 * seconds or sample passes), for every budget and seed; then the table with
 * 95 % intervals over seeds, and the figures.
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
  const tuning = new Map<number, BudgetSummary['tuning']>();
  const budgets = budgetsOf(config);
  const grid = config.tuneBatchSizes.flatMap((batchSize) => config.tuneLrs.map((lr) => ({ batchSize, lr })));
  const tunedRuns = config.methods.includes('full-tuned') ? grid.length + config.seeds.length - 1 : 0;
  const total =
    budgets.length *
    (config.seeds.length * config.methods.filter((m) => m !== 'full-tuned').length + tunedRuns);
  let n = 0;
  const aborted = () => ({ rows, summary: summarize(config, rows, tuning) });
  /** Train one run (or keep a finished one with --resume); null when interrupted. */
  const runOne = async (
    budget: (typeof budgets)[number],
    seed: number,
    method: CompareMethod,
    dir: string,
    tuned?: { batchSize: number; lr: number },
  ): Promise<{ row: CompareRow; metrics: RunMetrics } | null> => {
    n++;
    const what = tuned ? `${method} (batch ${tuned.batchSize}, lr ${tuned.lr})` : method;
    io.err(`\n[${n}/${total}] budget ${budget.text}, seed ${seed}: ${what}`);
    const trainConfig = runConfig(config, method, budget, seed, dir, tuned);
    const finished = config.resume ? await finishedRun(trainConfig, dir) : null;
    if (finished) io.err(`kept the finished run in ${dir}`);
    // An interrupted run continues from its checkpoint; a run not started yet starts (the trainer says which).
    const outcome = finished ?? (await runTraining({ ...trainConfig, resume: config.resume }, io));
    if (outcome.stopped === 'aborted') return null;
    const s = summarizeRun(outcome.metrics);
    const stored = outcome.metrics.run.config;
    return {
      metrics: outcome.metrics,
      row: {
        budget: budget.value,
        budgetUnit: budget.unit,
        budgetSeconds: budget.value,
        seed,
        method,
        label: outcome.metrics.run.label,
        valAccuracy: s.finalValAccuracy,
        bestValAccuracy: s.bestValAccuracy,
        valBalancedAccuracy: s.finalValBalancedAccuracy,
        epochs: s.epochs,
        activationRate: s.activationRate,
        samplesTrained: s.samplesProcessed,
        samplePasses: s.samplePasses,
        trainSeconds: s.trainSeconds,
        batchSize: Number(stored['batchSize'] ?? trainConfig.batchSize),
        lr: Number(stored['lr'] ?? trainConfig.lr ?? Number.NaN),
        stopped: outcome.stopped,
      },
    };
  };
  for (const budget of budgets) {
    let best: { batchSize: number; lr: number } | null = null;
    for (const [k, seed] of config.seeds.entries()) {
      for (const method of interleavedOrder(config.methods, k)) {
        const dir = join(outDir, budget.dir, `seed-${seed}`, method);
        if (method === 'full-tuned' && best === null) {
          // The sweep, on the first seed: its best run is that seed's tuned run.
          const sweep: { row: CompareRow; metrics: RunMetrics }[] = [];
          for (const point of grid) {
            const r = await runOne(
              budget,
              seed,
              method,
              join(dir, `batch-${point.batchSize}-lr-${point.lr}`),
              point,
            );
            if (!r) return aborted();
            sweep.push(r);
          }
          const score = (r: CompareRow) => r.valAccuracy ?? Number.NEGATIVE_INFINITY;
          sweep.sort((a, b) => score(b.row) - score(a.row));
          const top = sweep[0]!;
          best = { batchSize: top.row.batchSize, lr: top.row.lr };
          tuning.set(
            budget.value,
            sweep.map((r) => ({ batchSize: r.row.batchSize, lr: r.row.lr, valAccuracy: r.row.valAccuracy })),
          );
          runs.set(`${budget.value}/${seed}/${method}`, top.metrics);
          rows.push(top.row);
          continue;
        }
        const r = await runOne(
          budget,
          seed,
          method,
          method === 'full-tuned' && best ? join(dir, `batch-${best.batchSize}-lr-${best.lr}`) : dir,
          method === 'full-tuned' && best ? best : undefined,
        );
        if (!r) return aborted();
        runs.set(`${budget.value}/${seed}/${method}`, r.metrics);
        rows.push(r.row);
      }
    }
  }
  const summary = summarize(config, rows, tuning);
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
  const regime = first?.run.config['regime'];
  const data =
    `${dataset}, ${(first?.run.trainSamples ?? 0).toLocaleString('en')} training images` +
    (typeof regime === 'string' && regime !== 'clean' ? `, ${regime}` : '');
  const unit = budgets[0]?.unit ?? 'seconds';
  const figures: [string, string][] = [
    [
      'equal_budget',
      equalBudget(rows, {
        title: `Accuracy at equal ${unit === 'seconds' ? 'training time' : 'sample passes'} (${data})`,
        budgetUnit: unit,
      }),
    ],
  ];
  // One comparison per budget with every seed: several seeds draw as a spread. Its panel of
  // accuracy against training seconds means nothing for runs stopped by sample passes
  // (they may run side by side), so only seconds budgets get one.
  const seeds = config.seeds.join(', ');
  for (const budget of budgets.filter((b) => b.unit === 'seconds')) {
    const group = config.seeds.flatMap((seed) =>
      config.methods.map((m) => runs.get(`${budget.value}/${seed}/${m}`)).filter((r): r is RunMetrics => !!r),
    );
    figures.push([
      `comparison_${budget.unit === 'seconds' ? `${budget.value}s` : `${budget.value}-passes`}`,
      comparison(group, {
        title: `Equal budget of ${budget.unit === 'seconds' ? `${budget.value} training seconds` : `${budget.text}`}, seed${config.seeds.length > 1 ? 's' : ''} ${seeds}`,
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
  // A finished run a study packed keeps only metrics.json.gz.
  const file = [join(dir, 'metrics.json'), join(dir, 'metrics.json.gz')].find((f) => existsSync(f));
  if (!file) return null;
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
  const stopped =
    (config.budgetSeconds !== undefined && s.trainSeconds >= config.budgetSeconds) ||
    (config.budgetSamples !== undefined && s.samplePasses >= config.budgetSamples)
      ? 'budget'
      : 'completed';
  return { metrics, outDir: dir, stopped };
}

function summarize(
  config: CompareConfig,
  rows: CompareRow[],
  tuning: Map<number, BudgetSummary['tuning']>,
): BudgetSummary[] {
  return budgetsOf(config).map(({ value, unit }) => {
    const at = (method: CompareMethod, seed: number) =>
      rows.find((r) => r.budget === value && r.seed === seed && r.method === method)?.valAccuracy ?? null;
    const meanAccuracy: BudgetSummary['meanAccuracy'] = {};
    const accuracy: BudgetSummary['accuracy'] = {};
    for (const method of config.methods) {
      const accs = config.seeds.map((s) => at(method, s)).filter((a): a is number => a !== null);
      if (accs.length > 0) {
        accuracy[method] = estimate(accs);
        meanAccuracy[method] = accuracy[method].mean;
      }
    }
    const diff = (other: CompareMethod) => {
      const d = config.seeds.map((s) => {
        const a = at('ast', s);
        const b = at(other, s);
        return a === null || b === null ? null : a - b;
      });
      return d.every((x) => x !== null) ? (d as number[]) : null;
    };
    const [random, full, fullTuned] = [diff('random'), diff('full'), diff('full-tuned')];
    return {
      budget: value,
      budgetUnit: unit,
      budgetSeconds: unit === 'seconds' ? value : null,
      meanAccuracy,
      accuracy,
      astMinusRandom: random,
      astMinusFull: full,
      astMinusFullTuned: fullTuned,
      differences: {
        random: random ? estimate(random) : null,
        full: full ? estimate(full) : null,
        fullTuned: fullTuned ? estimate(fullTuned) : null,
      },
      tuning: tuning.get(value) ?? [],
    };
  });
}

/** `+1.2 [−0.3, +2.7]` in points, or the mean alone with one seed. */
function interval(e: Estimate): string {
  return e.low === null || e.high === null ? pts(e.mean) : `${pts(e.mean)} [${pts(e.low)}, ${pts(e.high)}]`;
}

function tableOf(config: CompareConfig, rows: CompareRow[], summary: BudgetSummary[]): string[] {
  const seeds = config.seeds;
  const budgets = budgetsOf(config);
  const lines = [
    `| budget | method | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean [95 % CI] | balanced acc. | sample passes | train s | epochs | activation |`,
    `|---|---|${seeds.map(() => '---|').join('')}---|---|---|---|---|---|`,
  ];
  const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  for (const [i, s] of summary.entries()) {
    for (const method of config.methods) {
      const mine = rows.filter((r) => r.budget === s.budget && r.method === method);
      const accs = seeds.map((seed) => pct(mine.find((r) => r.seed === seed)?.valAccuracy));
      const e = s.accuracy[method];
      const ci =
        e === undefined
          ? 'n/a'
          : e.low === null || e.high === null
            ? pct(e.mean)
            : `${pct(e.mean)} [${(100 * e.low).toFixed(1)}, ${(100 * e.high).toFixed(1)}]`;
      const balanced = mine.map((r) => r.valBalancedAccuracy).filter((x): x is number => x !== null);
      const label =
        method === 'full-tuned' && mine[0]
          ? `full, tuned (batch ${mine[0].batchSize}, lr ${mine[0].lr})`
          : METHOD_LABELS[method];
      lines.push(
        `| ${budgets[i]!.text} | ${label} | ${accs.join(' | ')} | ${ci} | ${pct(mean(balanced))} | ` +
          `${Math.round(mean(mine.map((r) => r.samplePasses))).toLocaleString('en')} | ${mean(mine.map((r) => r.trainSeconds)).toFixed(1)} | ` +
          `${mine.map((r) => r.epochs).join(' / ')} | ${mine.map((r) => pct(r.activationRate)).join(' / ')} |`,
      );
    }
  }
  lines.push('', 'AST minus each baseline, accuracy points: mean [95 % CI over seeds] (per seed):', '');
  for (const [i, s] of summary.entries()) {
    const parts: string[] = [];
    const add = (name: string, d: number[] | null, e: Estimate | null) => {
      if (d && e) parts.push(`vs ${name} ${interval(e)} (${d.map(pts).join(', ')})`);
    };
    add('random', s.astMinusRandom, s.differences.random);
    add('full', s.astMinusFull, s.differences.full);
    add('tuned full', s.astMinusFullTuned, s.differences.fullTuned);
    lines.push(`- ${budgets[i]!.text}: ${parts.length > 0 ? parts.join('; ') : 'not measured'}`);
  }
  const sweeps = summary.filter((s) => s.tuning.length > 0);
  if (sweeps.length > 0) {
    lines.push('', `Tuned full training: the sweep on seed ${seeds[0]} (final accuracy), best first:`, '');
    for (const [i, s] of summary.entries()) {
      if (s.tuning.length === 0) continue;
      lines.push(
        `- ${budgets[i]!.text}: ${s.tuning.map((t) => `batch ${t.batchSize}, lr ${t.lr}: ${pct(t.valAccuracy)}`).join('; ')}`,
      );
    }
  }
  return lines;
}
