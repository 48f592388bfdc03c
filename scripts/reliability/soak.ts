import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { recipeFor, selectionFor } from '@sundew/cli';
import { batchCount, loadFashionMnist } from '@sundew/data';
import { train } from '@sundew/trainer';
import { createViT, selectBackend } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';

/** Options of `runSoak`. */
export interface SoakOptions {
  /** Training steps (batches, one optimizer step each). */
  steps: number;
  batchSize?: number;
  targetRate?: number;
  /** Steps per sample of memory and per window of the activation rate. */
  window?: number;
  /** Steps before the first window that counts (the gate converging, the heap growing to its size). */
  warmup?: number;
  /** A checkpoint every this many steps, so their writing soaks too. */
  checkpointEvery?: number;
  seed?: number;
  log?: (line: string) => void;
}

/** One sample, taken after a window of steps. */
export interface SoakSample {
  step: number;
  tensors: number;
  rssMB: number;
  /** Activation rate over the window that ended here. */
  activationRate: number;
}

/** What a soak measured, and whether it held. */
export interface SoakReport {
  steps: number;
  samples: SoakSample[];
  /** Tensors at the first counted sample and at the last. */
  tensorsStart: number;
  tensorsEnd: number;
  rssMinMB: number;
  rssMaxMB: number;
  /** Largest RSS of the second half over that of the first (≤ 1.1 holds). */
  rssGrowth: number;
  rateMin: number;
  rateMax: number;
  /** Largest |rate / target − 1| over the counted windows (≤ 0.2 holds). */
  worstRateError: number;
  holds: { tensors: boolean; rss: boolean; rate: boolean };
  seconds: number;
}

/**
 * Train the tiny ViT with AST on the bundled Fashion-MNIST subset for `steps`
 * steps (checkpointing and validating as a real run does), sampling
 * `tf.memory()`, the RSS and the gate's activation rate every `window` steps.
 * Holds when tensors do not grow, the RSS stays bounded and every window's
 * activation rate is within ±20 % of the target.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const t0 = performance.now();
  const recipe = recipeFor({ preset: 'default', model: 'tiny' });
  const { steps, batchSize = 32, targetRate = recipe.targetRate, window = 100, seed = 1 } = options;
  const warmup = options.warmup ?? window;
  const log = options.log ?? (() => {});
  await selectBackend('wasm');
  const data = await loadFashionMnist({ split: 'train', source: 'bundled' });
  const validation = await loadFashionMnist({ split: 'test', source: 'bundled' });
  const dir = await mkdtemp(join(tmpdir(), 'sundew-soak-'));
  const model = createViT('tiny');
  const { scorer, gate } = selectionFor(recipe, { targetRate, seed, datasetSize: data.count });
  const samples: SoakSample[] = [];
  const controller = new AbortController();
  let step = 0;
  let active = 0;
  let seen = 0;
  try {
    await train({
      model,
      train: data,
      validation,
      epochs: Math.ceil(steps / batchCount(data, { batchSize })),
      batchSize,
      lr: recipe.lr,
      seed,
      // The default recipe of `sundew train --mode sparse` (stale-loss percentiles, Sundew gate).
      scorer,
      gate,
      selection: recipe.selection,
      checkpoint: { path: join(dir, 'checkpoint.bin'), every: options.checkpointEvery ?? 500 },
      signal: controller.signal,
      onBatchEnd: (e) => {
        step++;
        active += e.activated;
        seen += e.batchSize;
        if (step % window === 0) {
          const sample = {
            step,
            tensors: tf.memory().numTensors,
            rssMB: process.memoryUsage().rss / 2 ** 20,
            activationRate: active / seen,
          };
          samples.push(sample);
          active = 0;
          seen = 0;
          log(
            `step ${step}: ${sample.tensors} tensors, RSS ${sample.rssMB.toFixed(0)} MB, activation ${(100 * sample.activationRate).toFixed(1)} %`,
          );
        }
        if (step >= steps) controller.abort();
      },
    });
  } finally {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  const counted = samples.filter((s) => s.step > warmup);
  const half = Math.floor(counted.length / 2);
  const rss = counted.map((s) => s.rssMB);
  const rates = counted.map((s) => s.activationRate);
  const worstRateError = Math.max(...rates.map((r) => Math.abs(r / targetRate - 1)));
  const rssGrowth = Math.max(...rss.slice(half)) / Math.max(...rss.slice(0, Math.max(1, half)));
  const tensors = counted.map((s) => s.tensors);
  return {
    steps: step,
    samples,
    tensorsStart: tensors[0]!,
    tensorsEnd: tensors.at(-1)!,
    rssMinMB: Math.min(...rss),
    rssMaxMB: Math.max(...rss),
    rssGrowth,
    rateMin: Math.min(...rates),
    rateMax: Math.max(...rates),
    worstRateError,
    holds: {
      tensors: tensors.every((n) => n === tensors[0]),
      rss: rssGrowth <= 1.1,
      rate: worstRateError <= 0.2,
    },
    seconds: (performance.now() - t0) / 1000,
  };
}

/** `npm run soak [-- --steps N]`: 10,000 steps by default, with a report; exit 1 when it does not hold. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { steps: { type: 'string' }, window: { type: 'string' } } });
  const report = await runSoak({
    steps: Number(values.steps ?? 10_000),
    window: Number(values.window ?? 100),
    log: (line) => console.log(line),
  });
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(
    `${report.steps} steps in ${(report.seconds / 60).toFixed(1)} min: tensors ${report.tensorsStart} → ${report.tensorsEnd}` +
      `${report.holds.tensors ? ' (flat)' : ' (GREW)'}; RSS ${report.rssMinMB.toFixed(0)}–${report.rssMaxMB.toFixed(0)} MB ` +
      `(second half / first half peak ${report.rssGrowth.toFixed(3)}${report.holds.rss ? '' : ', GREW'}); activation per ` +
      `window ${pct(report.rateMin)}–${pct(report.rateMax)} (worst ${pct(report.worstRateError)} from the target` +
      `${report.holds.rate ? '' : ', OUTSIDE ±20 %'})`,
  );
  process.exitCode = Object.values(report.holds).every(Boolean) ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
