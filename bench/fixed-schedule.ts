// InfoBatch's own question, on the full Fashion-MNIST: with a learning-rate schedule of known
// length, what accuracy does each method end with, and at what share of full training's cost?
// (time-to-plateau.ts asks the issue's question instead: a constant rate, run to a plateau.)
//
// Every run: tiny ViT, WASM, AdamW, cosine from the recipe's lr to 0 over the run, validated
// after every epoch; its accuracy is the last epoch's (the end of the schedule).
// - full --epochs E: E epochs of full training (batch 128), the reference.
// - infobatch --epochs E: InfoBatch as its paper runs it — E epochs, half of the below-mean-loss
//   samples pruned at random and the kept ones weighed up, full-size steps, and the epochs after
//   the first 87.5 % on all the data (its annealing, as its reference code places it).
// - any method --passes P: a run of P sample passes (cosine over the passes), e.g. full training,
//   AST and the random control at 0.6 × full training's E·n passes (AST and random pick 30 % of
//   --batch-size 427: steps of ≈ 128).
//
//   npx tsx bench/fixed-schedule.ts --method full --epochs 10 --seed 1 --out docs/results/fixed-schedule
//   npx tsx bench/fixed-schedule.ts --method infobatch --epochs 10 --seed 1 --out …
//   npx tsx bench/fixed-schedule.ts --method ast --batch-size 427 --passes 360000 --seed 1 --out …
//   npx tsx bench/fixed-schedule.ts --summary --out docs/results/fixed-schedule
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FASHION_MNIST_DEBIAN_DIR, loadFashionMnist } from '@sundew/data';
import { samplePasses } from '@sundew/metrics';
import { train } from '@sundew/trainer';
import type { Gate, GateStats, JsonObject } from '@sundew/types';
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
import type { PlateauEpoch } from './time-to-plateau.js';

/** One epoch end, as time-to-plateau records it. */
interface ScheduleEpoch extends PlateauEpoch {
  /** InfoBatch: this epoch trained on all the data (annealing). */
  annealed?: boolean;
}

interface ScheduleRun {
  method: string;
  seed: number;
  batchSize: number;
  lr: number;
  /** Epochs of the schedule (full, infobatch), or null for a run of `passes`. */
  epochs: number | null;
  passes: number | null;
  command: string;
  finished: boolean;
  history: ScheduleEpoch[];
}

/** A gate that defers to another until `annealing` is set, then keeps every sample. */
class AnnealedGate implements Gate {
  readonly name: string;
  annealing = false;
  constructor(private readonly inner: Gate) {
    this.name = `${inner.name}+anneal`;
  }
  decide(scores: Float32Array): Uint8Array {
    if (!this.annealing) return this.inner.decide(scores);
    return new Uint8Array(scores.length).fill(1);
  }
  stats(): GateStats {
    return this.inner.stats();
  }
  state(): JsonObject {
    return { inner: this.inner.state(), annealing: this.annealing };
  }
  restore(state: JsonObject): void {
    this.inner.restore(state['inner'] as JsonObject);
    this.annealing = state['annealing'] === true;
  }
}

const out = resolve(arg('out', 'docs/results/fixed-schedule'));

const fileOf = (r: ScheduleRun): string =>
  `${r.method}${r.batchSize !== 128 ? `-batch-${r.batchSize}` : ''}${r.epochs !== null ? `-epochs-${r.epochs}` : `-passes-${r.passes! / 1000}k`}-seed-${r.seed}.json`;

async function runOne(): Promise<void> {
  const method = arg('method', 'full');
  checkMethod(method, null);
  const seed = Number(arg('seed', '1'));
  const epochsArg = arg('epochs', '');
  const passesArg = arg('passes', '');
  if ((epochsArg === '') === (passesArg === '')) {
    throw new Error('give one length: --epochs E (full, infobatch) or --passes P (any method)');
  }
  const epochs = epochsArg === '' ? null : Number(epochsArg);
  const passes = passesArg === '' ? null : Number(passesArg);
  if (
    epochs !== null &&
    !(Number.isInteger(epochs) && epochs > 0 && (method === 'full' || method === 'infobatch'))
  ) {
    throw new Error(
      `--epochs is a whole number of epochs of full or infobatch; received ${epochsArg} for ${method}`,
    );
  }
  if (passes !== null && !(passes > 0)) throw new Error(`--passes must be > 0; received ${passesArg}`);
  await selectBackend('wasm', { threads: Number(arg('threads', '1')) });
  const dir = arg('data-dir', FASHION_MNIST_DEBIAN_DIR);
  const trainSet = await loadFashionMnist({ split: 'train', dir });
  const testSet = await loadFashionMnist({ split: 'test', dir });
  const batchSize = Number(arg('batch-size', '128'));
  const lr = recipe.lr;
  const { opts } = methodOptions(method, { seed, datasetSize: trainSet.count, rate: null });
  const annealed = method === 'infobatch' && opts.gate ? new AnnealedGate(opts.gate) : null;
  // InfoBatch's reference code prunes while the epoch index is ≤ 0.875 · E (its delta) and trains
  // on all the data after: the last epoch of 10 (NUS-HPC-AI-Lab/InfoBatch, IBSampler.reset).
  const annealFrom = epochs !== null ? Math.floor(0.875 * epochs) + 1 : Number.POSITIVE_INFINITY;
  const run: ScheduleRun = {
    method,
    seed,
    batchSize,
    lr,
    epochs,
    passes,
    command: `npx tsx bench/fixed-schedule.ts ${process.argv.slice(2).join(' ')}`,
    finished: false,
    history: [],
  };
  await mkdir(out, { recursive: true });
  const file = join(out, fileOf(run));
  const model = createViT({ preset: 'tiny', seed });
  const clock = trainingClock();
  let done = 0;
  await train({
    model,
    train: trainSet,
    validation: testSet,
    epochs: epochs ?? 1000,
    batchSize,
    lr,
    schedule: 'cosine',
    seed,
    ...(passes !== null ? { budgetSamples: passes } : {}),
    ...opts,
    ...(annealed ? { gate: annealed } : {}),
    onBatchEnd: clock.onBatchEnd,
    onEpochEnd: async (record) => {
      clock.skip(); // the validation's CPU is not training
      done += samplePasses(record.samplesProcessed, record.samplesScored ?? 0);
      run.history.push({
        epoch: record.epoch,
        valAccuracy: record.valAccuracy ?? 0,
        passes: done,
        cpuSeconds: clock.seconds,
        seconds: record.elapsedSeconds,
        ...(annealed?.annealing ? { annealed: true } : {}),
      });
      if (annealed) annealed.annealing = record.epoch + 1 >= annealFrom;
      await writeFileAtomic(file, `${JSON.stringify(run, null, 1)}\n`);
      console.error(
        `${method} seed ${seed} epoch ${record.epoch + 1}: val ${(100 * (record.valAccuracy ?? 0)).toFixed(2)} % · ` +
          `${clock.seconds.toFixed(0)} CPU-s · ${(done / 1000).toFixed(0)}k passes`,
      );
    },
  });
  model.dispose();
  run.finished = true;
  await writeFileAtomic(file, `${JSON.stringify(run, null, 1)}\n`);
}

async function summary(): Promise<void> {
  const runs: ScheduleRun[] = [];
  for (const name of (await readdir(out)).filter((f) => /-seed-\d+\.json$/.test(f))) {
    const r = JSON.parse(await readFile(join(out, name), 'utf8')) as ScheduleRun;
    if (r.finished) runs.push(r);
  }
  const f = (x: number, d = 0) => x.toFixed(d);
  const lastOf = (r: ScheduleRun) => r.history.at(-1)!;
  const labelOf = (r: ScheduleRun) =>
    `${r.method}${r.batchSize !== 128 ? `, batch ${r.batchSize}` : ''}, ${r.epochs !== null ? `${r.epochs} epochs` : `${f(r.passes! / 1000)}k passes`}`;
  // Each run against the full-training schedule it is measured against: InfoBatch against full
  // training over as many epochs; a run of P passes against the full schedule of P / 0.6 passes.
  const isReference = (r: ScheduleRun) => r.method === 'full' && r.epochs !== null;
  const referenceOf = (r: ScheduleRun): ScheduleRun | undefined => {
    const fulls = runs.filter((c) => c.seed === r.seed && isReference(c));
    if (r.epochs !== null) return fulls.find((c) => c.epochs === r.epochs);
    return fulls.find((c) => Math.abs(lastOf(r).passes / lastOf(c).passes - 0.6) < 0.01);
  };
  const lines = [
    '| seed | against | run | sample passes (× full) | CPU-seconds (× full) | final accuracy | − full training |',
    '|---|---|---|---|---|---|---|',
  ];
  const rows: JsonObject[] = [];
  const order = ['full', 'infobatch', 'ast', 'random'];
  const refs = runs.filter(isReference).sort((a, b) => a.epochs! - b.epochs! || a.seed - b.seed);
  for (const ref of refs) {
    const r0 = lastOf(ref);
    const against = `full, ${ref.epochs} epochs`;
    lines.push(
      `| ${ref.seed} | ${against} | **full training, ${ref.epochs} epochs** | ${f(r0.passes / 1000)}k | ${f(r0.cpuSeconds)} | **${f(100 * r0.valAccuracy, 2)} %** | – |`,
    );
    rows.push({
      seed: ref.seed,
      against,
      run: labelOf(ref),
      passes: r0.passes,
      cpuSeconds: r0.cpuSeconds,
      accuracy: r0.valAccuracy,
      command: ref.command,
    });
    const measured = runs
      .filter((r) => !isReference(r) && referenceOf(r) === ref)
      .sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
    for (const r of measured) {
      const last = lastOf(r);
      const delta = 100 * (last.valAccuracy - r0.valAccuracy);
      lines.push(
        `| ${r.seed} | ${against} | ${labelOf(r)} | ${f(last.passes / 1000)}k (**${f(last.passes / r0.passes, 2)}×**) | ${f(last.cpuSeconds)} (${f(last.cpuSeconds / r0.cpuSeconds, 2)}×) | ${f(100 * last.valAccuracy, 2)} % | ${delta >= 0 ? '+' : '−'}${f(Math.abs(delta), 2)} |`,
      );
      rows.push({
        seed: r.seed,
        against,
        run: labelOf(r),
        passes: last.passes,
        passesRatio: last.passes / r0.passes,
        cpuSeconds: last.cpuSeconds,
        cpuRatio: last.cpuSeconds / r0.cpuSeconds,
        accuracy: last.valAccuracy,
        minusFull: last.valAccuracy - r0.valAccuracy,
        command: r.command,
      });
    }
  }
  await writeSummary(out, rows, lines);
}

await runOrSummarize(out, runOne, summary);
