// Issue 15's time-to-accuracy study: how much sooner does AST reach what full
// training reaches, on the full Fashion-MNIST, tiny ViT, WASM?
//
// One run per call (a method, a seed), at a constant learning rate (a run that
// stops when it has plateaued must not be told its length in advance, as a
// cosine schedule would be). Full training runs until its validation accuracy
// has not reached a new best for `--patience` epochs: its best is the plateau.
// The other methods run until they reach `--stop-at` (full training's plateau of
// the same seed) or `--max-passes` sample passes. Every epoch end records the
// training seconds (validation excluded), the training CPU-seconds of this
// process and the sample passes (samples trained + ⅓ of those scored by a
// forward alone): three clocks, of which the last does not drift with the machine.
//
//   npx tsx bench/time-to-plateau.ts --method full --seed 1 --out docs/results/time-to-plateau
//   npx tsx bench/time-to-plateau.ts --method ast --seed 1 --stop-at 0.889 --max-passes 600000 --out …
//   npx tsx bench/time-to-plateau.ts --method ast --seed 1 --out … \
//     --target-from docs/results/time-to-plateau/full-seed-1.json --max-ratio 0.7   (the same, read
//     from the full run's file at every epoch end: it may still be running)
//   npx tsx bench/time-to-plateau.ts --summary --out docs/results/time-to-plateau
// Methods: full (batch 128, the recipe's lr), full-tuned (--batch-size, --lr; default batch 32,
// lr 2e-3: the tuned full training of the regime study's clean sweep), ast (the default recipe),
// random (the same recipe with random scores), infobatch (InfoBatch less its annealing: raw stale
// losses, half of the below-mean samples pruned at random, the kept ones weighed up, full-size
// buffered steps of --batch-size; in the figures of full-size steps). --target-rate r (ast, random): the gate's rate
// instead of the recipe's 30 %; such a run's file is <method>-rate-<r>-seed-<s>.json, a row of
// its own in the table ("ast, rate 0.5"), left out of the figures. --batch-size b (ast, random):
// the candidate batch the gate picks from instead of 128 (at 30 % a batch of 427 gives steps of
// ≈ 128, full training's); file <method>-batch-<b>-seed-<s>.json, a row of its own, out of the figures.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FASHION_MNIST_DEBIAN_DIR, loadFashionMnist } from '@sundew/data';
import { samplePasses } from '@sundew/metrics';
import { svgToPng, timeToAccuracy } from '@sundew/plot';
import { train } from '@sundew/trainer';
import { createViT, selectBackend } from '@sundew/vit';
import writeFileAtomic from 'write-file-atomic';
import { arg } from './lib.js';
import {
  checkMethod,
  methodOptions,
  recipe,
  runOrSummarize,
  trainingClock,
  writeSummary,
} from './methods.js';

/** One epoch end of a run. */
export interface PlateauEpoch {
  epoch: number;
  valAccuracy: number;
  /** Training seconds so far (validation excluded). */
  seconds: number;
  /** CPU-seconds (user + system) of this process spent training so far (validation excluded). */
  cpuSeconds: number;
  /** Sample passes so far. */
  passes: number;
  partial?: boolean;
}

/** One run's file. */
export interface PlateauRun {
  method: string;
  seed: number;
  batchSize: number;
  lr: number;
  scorer: string | null;
  /** The gate's target rate (ast, random); absent: the recipe's. */
  targetRate?: number;
  trainImages: number;
  stopAt: number | null;
  maxPasses: number | null;
  patience: number;
  /** `running` while it trains (the file is rewritten at every epoch end). */
  stopped: 'running' | 'plateau' | 'target' | 'max-passes' | 'max-epochs';
  command: string;
  /** How the run ended when it did not end by itself (stopped from outside, and why). */
  note?: string;
  epochs: PlateauEpoch[];
}

const out = resolve(arg('out', 'docs/results/time-to-plateau'));

/** Full training's plateau (its best validation accuracy) and the epoch end that first reached it. */
function plateauOf(full: PlateauRun): { accuracy: number; at: PlateauEpoch } {
  const accuracy = Math.max(...full.epochs.map((e) => e.valAccuracy));
  return { accuracy, at: firstAt(full, accuracy)! };
}

async function runOne(): Promise<void> {
  const method = arg('method', 'full');
  const rate = arg('target-rate', '') === '' ? null : Number(arg('target-rate', ''));
  checkMethod(method, rate);
  const seed = Number(arg('seed', '1'));
  const patience = Number(arg('patience', '3'));
  const maxEpochs = Number(arg('max-epochs', '60'));
  let stopAt = arg('stop-at', '') === '' ? null : Number(arg('stop-at', ''));
  let maxPasses = arg('max-passes', '') === '' ? null : Number(arg('max-passes', ''));
  // --target-from: the full-training run of the same seed, maybe still running; once it has
  // plateaued, its best is the target and --max-ratio × its passes to the best the cap.
  const targetFrom = arg('target-from', '');
  const maxRatio = Number(arg('max-ratio', '1'));
  const resolveTarget = async (): Promise<void> => {
    if (!targetFrom || stopAt !== null || !existsSync(targetFrom)) return;
    const ref = JSON.parse(await readFile(targetFrom, 'utf8')) as PlateauRun;
    // Only a finished run has a plateau: one still running may yet beat its best.
    if (ref.stopped === 'running') return;
    const plateau = plateauOf(ref);
    stopAt = plateau.accuracy;
    maxPasses = maxRatio * plateau.at.passes;
    run.stopAt = stopAt;
    run.maxPasses = maxPasses;
  };
  await selectBackend('wasm', { threads: Number(arg('threads', '1')) });
  const dir = arg('data-dir', FASHION_MNIST_DEBIAN_DIR);
  const trainSet = await loadFashionMnist({ split: 'train', dir });
  const testSet = await loadFashionMnist({ split: 'test', dir });
  const tuned = method === 'full-tuned';
  const batchSize = Number(arg('batch-size', tuned ? '32' : '128'));
  const lr = Number(arg('lr', String(recipe.lr)));
  const { opts, scorerName } = methodOptions(method, { seed, datasetSize: trainSet.count, rate });
  const model = createViT({ preset: 'tiny', seed });
  const run: PlateauRun = {
    method,
    seed,
    batchSize,
    lr,
    scorer: scorerName,
    ...(rate !== null ? { targetRate: rate } : {}),
    trainImages: trainSet.count,
    stopAt,
    maxPasses,
    patience,
    stopped: 'running',
    command: `npx tsx bench/time-to-plateau.ts ${process.argv.slice(2).join(' ')}`,
    epochs: [],
  };
  const file = join(out, fileOf(run));
  await mkdir(out, { recursive: true });
  const controller = new AbortController();
  const clock = trainingClock();
  let best = -1;
  let sinceBest = 0;
  let passes = 0;
  const t0 = Date.now();
  await train({
    model,
    train: trainSet,
    validation: testSet,
    epochs: maxEpochs,
    batchSize,
    lr,
    schedule: 'constant',
    seed,
    ...(maxPasses && !targetFrom ? { budgetSamples: maxPasses } : {}),
    ...opts,
    signal: controller.signal,
    onBatchEnd: clock.onBatchEnd,
    onEpochEnd: async (record) => {
      clock.skip(); // the validation's CPU is not training
      passes += samplePasses(record.samplesProcessed, record.samplesScored ?? 0);
      const acc = record.valAccuracy ?? 0;
      run.epochs.push({
        epoch: record.epoch,
        valAccuracy: acc,
        seconds: record.elapsedSeconds,
        cpuSeconds: clock.seconds,
        passes,
        ...(record.partial ? { partial: true } : {}),
      });
      if (acc > best) {
        best = acc;
        sinceBest = 0;
      } else sinceBest++;
      await resolveTarget();
      if (method === 'full' && stopAt === null && sinceBest >= patience) {
        run.stopped = 'plateau';
        controller.abort();
      }
      if (stopAt !== null && acc >= stopAt) {
        run.stopped = 'target';
        controller.abort();
      }
      if (maxPasses && passes >= maxPasses && run.stopped === 'running') {
        run.stopped = 'max-passes';
        controller.abort();
      }
      await writeFileAtomic(file, `${JSON.stringify(run, null, 1)}\n`);
      console.error(
        `${method} seed ${seed} epoch ${record.epoch + 1}: val ${(100 * acc).toFixed(2)} % · ` +
          `${record.elapsedSeconds.toFixed(0)} s train · ${clock.seconds.toFixed(0)} CPU-s · ` +
          `${(passes / 1000).toFixed(0)}k passes · best ${(100 * best).toFixed(2)} % · ` +
          `${((Date.now() - t0) / 60000).toFixed(1)} min`,
      );
    },
  });
  model.dispose();
  if (run.stopped === 'running') {
    run.stopped = 'max-epochs';
    await writeFileAtomic(file, `${JSON.stringify(run, null, 1)}\n`);
  }
}

/** A sparse run's settings away from the recipe's, as [name, value] pairs (none for the others). */
function variantParts(run: PlateauRun): [string, number][] {
  if (run.method !== 'ast' && run.method !== 'random') return [];
  const parts: [string, number][] = [];
  if (run.targetRate !== undefined) parts.push(['rate', run.targetRate]);
  if (run.batchSize !== 128) parts.push(['batch', run.batchSize]);
  return parts;
}

/** Those settings as a label (", rate 0.2", ", batch 427"), or ''. */
const variantOf = (run: PlateauRun): string =>
  variantParts(run)
    .map(([k, v]) => `, ${k} ${v}`)
    .join('');

/** A run's file name: `<method>[-rate-<r>][-batch-<b>]-seed-<s>.json`. */
const fileOf = (run: PlateauRun): string =>
  `${run.method}${variantParts(run)
    .map(([k, v]) => `-${k}-${v}`)
    .join('')}-seed-${run.seed}.json`;

/** The first epoch end at or above `target`, or null. */
function firstAt(run: PlateauRun, target: number): PlateauEpoch | null {
  return run.epochs.find((e) => e.valAccuracy >= target) ?? null;
}

async function summary(): Promise<void> {
  const runs: PlateauRun[] = [];
  for (const name of (await readdir(out)).filter((f) =>
    /^[a-z-]+(-rate-[\d.]+)?(-batch-\d+)?-seed-\d+\.json$/.test(f),
  )) {
    runs.push(JSON.parse(await readFile(join(out, name), 'utf8')) as PlateauRun);
  }
  const seeds = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
  const rows: Record<string, unknown>[] = [];
  const lines = [
    '| seed | method | target | reached at epoch | sample passes (× full) | CPU-seconds (× full) | best accuracy (passes run, × full) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const seed of seeds) {
    const full = runs.find((r) => r.seed === seed && r.method === 'full');
    if (!full) continue;
    const plateau = plateauOf(full).accuracy;
    for (const [label, target] of [
      ['plateau', plateau],
      ['99 % of it', 0.99 * plateau],
    ] as const) {
      const ref = firstAt(full, target)!;
      const order = ['full', 'full-tuned', 'ast', 'random', 'infobatch'];
      const ofSeed = runs
        .filter((r) => r.seed === seed)
        .sort(
          (a, b) =>
            order.indexOf(a.method) - order.indexOf(b.method) ||
            (a.targetRate ?? 0) - (b.targetRate ?? 0) ||
            a.batchSize - b.batchSize,
        );
      for (const run of ofSeed) {
        const method = `${run.method}${variantOf(run)}`;
        const hit = firstAt(run, target);
        const bestAcc = Math.max(...run.epochs.map((e) => e.valAccuracy));
        const last = run.epochs.at(-1)!;
        rows.push({
          seed,
          method,
          target: label,
          accuracy: target,
          reached: hit !== null,
          epoch: hit ? hit.epoch + 1 : null,
          passes: hit?.passes ?? null,
          passesRatio: hit ? hit.passes / ref.passes : null,
          cpuSeconds: hit?.cpuSeconds ?? null,
          cpuRatio: hit ? hit.cpuSeconds / ref.cpuSeconds : null,
          seconds: hit?.seconds ?? null,
          secondsRatio: hit ? hit.seconds / ref.seconds : null,
          bestAccuracy: bestAcc,
          ranPasses: last.passes,
          command: run.command,
        });
        const f = (x: number, d = 0) => x.toFixed(d);
        const ran = `${f(100 * bestAcc, 2)} % (${f(last.passes / 1000)}k, ${f(last.passes / ref.passes, 2)}×)`;
        lines.push(
          hit
            ? `| ${seed} | ${method} | ${label} (${f(100 * target, 2)} %) | ${hit.epoch + 1} | ${f(hit.passes / 1000)}k (**${f(hit.passes / ref.passes, 2)}×**) | ${f(hit.cpuSeconds)} (**${f(hit.cpuSeconds / ref.cpuSeconds, 2)}×**) | ${ran} |`
            : `| ${seed} | ${method} | ${label} (${f(100 * target, 2)} %) | not reached | – | – | ${ran} |`,
        );
      }
    }
  }
  // Figures: accuracy against sample passes and against CPU-seconds, a panel per seed.
  const targets = seeds.flatMap((seed) => {
    const full = runs.find((r) => r.seed === seed && r.method === 'full');
    if (!full) return [];
    const plateau = plateauOf(full).accuracy;
    return [
      { seed, accuracy: plateau, label: `full training's plateau ${(100 * plateau).toFixed(2)} %` },
      { seed, accuracy: 0.99 * plateau, label: `99 % of it, ${(99 * plateau).toFixed(2)} %` },
    ];
  });
  // Two sets: the recipe's runs (steps on ≈ 38 of 128), and the runs with steps of full training's
  // size (AST and random picking from batches of 427, InfoBatch's buffered steps of 128) beside
  // full training; each at two clocks.
  const images = (runs[0]?.trainImages ?? 0).toLocaleString('en-US');
  const sets = [
    {
      name: 'time-to-plateau',
      pick: (r: PlateauRun) => r.method !== 'infobatch' && variantOf(r) === '',
      steps: 'tiny ViT, WASM',
    },
    {
      name: 'time-to-plateau-batch-427',
      pick: (r: PlateauRun) =>
        r.method === 'full' || r.method === 'infobatch' || variantOf(r) === ', batch 427',
      steps: 'steps of ≈ 128 as full training (AST, random: 30 % of batches of 427)',
    },
  ];
  for (const set of sets) {
    // A seed's panel only where the set has a run besides full training's.
    const seedsOf = new Set(runs.filter((r) => set.pick(r) && r.method !== 'full').map((r) => r.seed));
    const picked = runs.filter((r) => set.pick(r) && seedsOf.has(r.seed));
    if (picked.length === 0) continue;
    for (const [suffix, unit, xLabel] of [
      ['', 'passes', undefined],
      ['-cpu', 'cpuSeconds', 'Training CPU-seconds (validation excluded)'],
    ] as const) {
      const curves = picked.map((r) => ({
        method: r.method,
        seed: r.seed,
        points: r.epochs.map((e) => ({ x: e[unit], accuracy: e.valAccuracy })),
      }));
      const svg = timeToAccuracy(
        curves,
        targets.filter((t) => seedsOf.has(t.seed)),
        {
          title: `Time to full training's plateau: full Fashion-MNIST (${images} images), ${set.steps}`,
          ...(xLabel ? { xLabel } : {}),
        },
      );
      await writeFileAtomic(join(out, `${set.name}${suffix}.svg`), svg);
      await writeFileAtomic(join(out, `${set.name}${suffix}.png`), svgToPng(svg));
    }
  }
  await writeSummary(out, rows, lines);
}

await runOrSummarize(out, runOne, summary);
