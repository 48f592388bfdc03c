// Gate tracking (issue 14): does a gate hold its target on real and synthetic
// score streams? For every stream × target: the worst 20-batch window's
// distance from the target after batch 50 (tolerance ±10 % relative or ±1
// point, whichever is larger) and the per-batch sd of the activation rate
// against the binomial floor sqrt(r(1 − r)/B).
// Real streams: short runs of the tiny ViT on the bundled Fashion-MNIST (3
// epochs, default recipe lr, seed 1) with the gate in the loop, one per scorer ×
// target. Synthetic streams: 400 batches of 128.
// Run: npm run build && npx tsx bench/gate-tracking.ts [--gates sundew,before] [--real] [--synthetic]
//        [--shard i/n] [--jobs n] [--out bench/results/gate-tracking]
// With --jobs n the real runs are split over n child processes.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGate, energyForRate, SundewGate } from '@sundew/gate';
import type { Gate, GateStats } from '@sundew/types';
import { arg, emit, runChild } from './lib.js';

export const targets = [0.02, 0.05, 0.1, 0.3, 0.5, 0.7] as const;
export const scorers = [
  'stale-loss-percentile',
  'stale-loss',
  'batch-relative',
  'loss-entropy',
  'gradient-norm',
  'random',
] as const;

/** The gates compared: Sundew's, the gate before issue 14 (absolute θ in [0, 1]), and the originals. */
export const gateMakers: Record<string, (target: number, seed: number) => Gate> = {
  sundew: (target, seed) => new SundewGate({ targetActivationRate: target, seed }),
  'sundew-window-1024': (target, seed) =>
    new SundewGate({ targetActivationRate: target, seed, quantileWindow: 1024 }),
  // Bit for bit the default gate before issue 14: raw scores, one draw per sample, store sized by energyForRate.
  before: (target, seed) =>
    new SundewGate({
      targetActivationRate: target,
      seed,
      scoreSpace: 'raw',
      sampling: 'independent',
      ...energyForRate(target),
    }),
  'sundew-script': (target, seed) => createGate('sundew-script', { targetActivationRate: target, seed }),
  'sundew-library': (target, seed) => createGate('sundew-library', { targetActivationRate: target, seed }),
};

/** Wraps a gate and keeps each batch's size and activation count. */
class RecordingGate implements Gate {
  readonly sizes: number[] = [];
  readonly active: number[] = [];
  readonly thresholds: number[] = [];
  constructor(private readonly inner: Gate) {}
  get name(): string {
    return this.inner.name;
  }
  get targetActivationRate(): number | undefined {
    return this.inner.targetActivationRate;
  }
  decide(scores: Float32Array): Uint8Array {
    const mask = this.inner.decide(scores);
    this.sizes.push(scores.length);
    this.active.push(mask.reduce((n, m) => n + m, 0));
    this.thresholds.push(this.inner.stats().threshold);
    return mask;
  }
  stats(): GateStats {
    return this.inner.stats();
  }
  state() {
    return this.inner.state();
  }
  restore(state: never): void {
    this.inner.restore(state);
  }
}

/** One stream × target × gate. */
export interface TrackingRow {
  gate: string;
  source: 'real' | 'synthetic';
  stream: string;
  target: number;
  batches: number;
  /** Rate over batches 50 to the end. */
  rate: number;
  /** Worst 20-batch window after batch 50: |rate − target| in rate units, and over the tolerance. */
  worstWindow: number;
  worstOverTolerance: number;
  /** sd of the per-batch rate after batch 50 over the binomial sd at the same batch sizes. */
  sdOverBinomial: number;
  pass: boolean;
}

/** The two numbers of the issue, from per-batch sizes and counts. */
export function trackingOf(sizes: number[], active: number[], target: number, from = 50, window = 20) {
  const tolerance = Math.max(0.1 * target, 0.01);
  let worst = 0;
  for (let s = from; s + window <= sizes.length; s++) {
    let n = 0;
    let a = 0;
    for (let b = s; b < s + window; b++) {
      n += sizes[b]!;
      a += active[b]!;
    }
    worst = Math.max(worst, Math.abs(a / n - target));
  }
  let n = 0;
  let a = 0;
  for (let b = from; b < sizes.length; b++) {
    n += sizes[b]!;
    a += active[b]!;
  }
  const rate = a / n;
  // Standardised per-batch deviations: (rate_b − rate) / sqrt(r(1 − r)/B_b), r the target.
  const floor = Math.sqrt(target * (1 - target));
  let ss = 0;
  let count = 0;
  for (let b = from; b < sizes.length; b++) {
    const z = (active[b]! / sizes[b]! - rate) / (floor / Math.sqrt(sizes[b]!));
    ss += z * z;
    count++;
  }
  const sdOverBinomial = Math.sqrt(ss / Math.max(1, count - 1));
  return {
    rate,
    worstWindow: worst,
    worstOverTolerance: worst / tolerance,
    sdOverBinomial,
    pass: worst <= tolerance && sdOverBinomial <= 1.5,
  };
}

// ---------------------------------------------------------------- synthetic

/** xorshift32 uniform in [0, 1): the streams' own generator, seeded. */
function uniform(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const BATCHES = 400;
const BATCH = 128;

/** Synthetic score streams: (batch index, uniform draw) → score; `sizes` for the short-last-batch stream. */
export const syntheticStreams: Record<
  string,
  { score: (b: number, u: () => number) => number; size?: (b: number) => number }
> = {
  uniform: { score: (_b, u) => u() },
  'heavy-tailed': { score: (_b, u) => (1 - u()) ** -1.5 - 1 }, // Pareto: unbounded, mean 2
  'raw losses': { score: (_b, u) => -Math.log(1 - u()) * 2.3 }, // exponential around ln 10, mostly above 1
  'tied 60 % at 1': { score: (_b, u) => (u() < 0.6 ? 1 : u()) },
  'tied 95 % at 1': { score: (_b, u) => (u() < 0.95 ? 1 : u()) },
  drifting: { score: (b, u) => (0.8 - (0.6 * b) / BATCHES) * (1 + 0.25 * u()) * 10 ** (b / BATCHES) },
  'collapse to a constant': { score: (b, u) => (b >= 150 && b < 250 ? 0.42 : u()) },
  'short last batch': { score: (_b, u) => u(), size: (b) => (b % 47 === 46 ? 112 : BATCH) },
};

export function runSynthetic(gate: string, stream: string, target: number, seed: number): TrackingRow {
  const g = new RecordingGate(gateMakers[gate]!(target, seed));
  const spec = syntheticStreams[stream]!;
  const u = uniform(seed * 7919 + 17);
  for (let b = 0; b < BATCHES; b++) {
    const size = spec.size?.(b) ?? BATCH;
    g.decide(Float32Array.from({ length: size }, () => spec.score(b, u)));
  }
  return {
    gate,
    source: 'synthetic',
    stream,
    target,
    batches: BATCHES,
    ...trackingOf(g.sizes, g.active, target),
  };
}

// ---------------------------------------------------------------- real

export async function runReal(gate: string, scorerName: string, target: number): Promise<TrackingRow> {
  const { loadFashionMnist } = await import('@sundew/data');
  const { createScorer } = await import('@sundew/significance');
  const { train } = await import('@sundew/trainer');
  const { createViT, selectBackend } = await import('@sundew/vit');
  await selectBackend('wasm', { threads: 1 });
  const trainSet = await loadFashionMnist({ split: 'train', source: 'bundled' });
  const model = createViT({ preset: 'tiny', seed: 1 });
  const g = new RecordingGate(gateMakers[gate]!(target, 1));
  await train({
    model,
    train: trainSet,
    validation: null,
    epochs: 3,
    lr: 2e-3,
    seed: 1,
    mode: 'sparse',
    scorer: createScorer(scorerName, { seed: 1, datasetSize: trainSet.count }),
    gate: g,
  });
  model.dispose();
  return {
    gate,
    source: 'real',
    stream: scorerName,
    target,
    batches: g.sizes.length,
    ...trackingOf(g.sizes, g.active, target),
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const gates = arg('gates', 'sundew,sundew-window-1024,before,sundew-script,sundew-library').split(',');
  const realGates = arg('real-gates', 'sundew,before').split(',');
  const only = process.argv.includes('--real')
    ? 'real'
    : process.argv.includes('--synthetic')
      ? 'synthetic'
      : 'both';
  const [shard, shards] = arg('shard', '0/1').split('/').map(Number) as [number, number];
  const jobs = Number(arg('jobs', '1'));
  const out = arg('out', 'bench/results/gate-tracking');
  const rows: TrackingRow[] = [];

  if (only !== 'real' && shard === 0) {
    // Worst of three seeds.
    for (const gate of gates)
      for (const stream of Object.keys(syntheticStreams))
        for (const target of targets)
          rows.push(
            [1, 2, 3]
              .map((seed) => runSynthetic(gate, stream, target, seed))
              .reduce((w, r) => (r.worstOverTolerance > w.worstOverTolerance ? r : w)),
          );
    console.error(`synthetic: ${rows.length} rows`);
  }
  if (only !== 'synthetic') {
    const work = realGates.flatMap((gate) =>
      scorers.flatMap((s) => targets.map((t) => [gate, s, t] as const)),
    );
    if (jobs > 1) {
      const parts = await Promise.all(
        Array.from({ length: jobs }, (_, i) =>
          runChild<TrackingRow[]>('./gate-tracking.ts', [
            '--real',
            '--shard',
            `${i}/${jobs}`,
            '--real-gates',
            realGates.join(','),
          ]),
        ),
      );
      rows.push(...parts.flat());
    } else {
      for (const [i, [gate, s, t]] of work.entries()) {
        if (i % shards !== shard) continue;
        const t0 = performance.now();
        const row = await runReal(gate, s, t);
        rows.push(row);
        console.error(
          `[${shard}] ${gate} ${s} @ ${t}: rate ${(100 * row.rate).toFixed(1)} %, worst window ${(100 * row.worstWindow).toFixed(1)} pt (${row.worstOverTolerance.toFixed(2)}× tol), sd ${row.sdOverBinomial.toFixed(2)}× binomial — ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
      }
    }
  }
  if (shards > 1) {
    emit(rows);
    return;
  }
  mkdirSync(out, { recursive: true });
  const json = `${out}/gate-tracking.json`;
  writeFileSync(`${json}.tmp`, `${JSON.stringify({ measured: new Date().toISOString(), rows }, null, 1)}\n`);
  renameSync(`${json}.tmp`, json);
  console.error(`wrote ${json}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
