// The selection study of issue 9: many AST variants, the random control and
// full training, each stopped by the same budget of *process CPU seconds*
// (training only), then validated. CPU time instead of wall-clock lets many
// variants run side by side on a shared 2-core machine without disturbing each
// other's budgets; the claims themselves rest on `sundew compare`, which uses
// wall-clock. Results: bench/results/selection-study/ (runs.jsonl, README.md).
//
// Run: npx tsx bench/selection-study.ts --budget 20 --seeds 1,2 [--data full] [--lr 0.002] \
//        --variants '[{"name":"random","scorer":"random","rate":0.3}, …]'
// A variant: mode (sparse|full), scorer (any createScorer name, or one of the
// research scorers below), gate (sundew|top-k), rate, selection, reweight,
// warmup (epochs), lr, batch; `energy: true` sizes the Sundew store for the rate.
// Research scorer `reducible` (RHO-LOSS): `ilSeconds` per half-model; `charge: true` takes their
// CPU seconds off the run's budget.
import {
  FASHION_MNIST_DEBIAN_DIR,
  gatherBatch,
  loadFashionMnist,
  normalizationFor,
  permutation,
  selectSamples,
  streamRandom,
} from '@sundew/data';
import { createGate, energyForRate } from '@sundew/gate';
import { createScorer } from '@sundew/significance';
import { forwardLosses, type TrainOptions, train } from '@sundew/trainer';
import type { ScoringBatch, SignificanceScorer } from '@sundew/types';
import type { Model } from '@sundew/types/model';
import { createViT, selectBackend } from '@sundew/vit';
import { arg } from './lib.js';

// The trainer times batches with performance.now(): make that process CPU time,
// minus what a "free" scorer spends (a scorer simulated on another core).
let excludedMs = 0;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const started = cpuMs();
performance.now = () => cpuMs() - started - excludedMs;

await selectBackend('wasm');
const full = arg('data', 'bundled') === 'full';
const source = full ? { dir: FASHION_MNIST_DEBIAN_DIR } : { source: 'bundled' as const };
const trainSet = await loadFashionMnist({ split: 'train', ...source });
const testSet = await loadFashionMnist({ split: 'test', ...source });
const budget = Number(arg('budget', '20'));
const seeds = arg('seeds', '1').split(',').map(Number);

/** Research scorer: the stale loss, optionally halved once trained, plus a bonus per epoch since last trained, or turned into the uncertainty p(1 − p). */
class StaleVariant implements SignificanceScorer {
  readonly name = 'stale-variant';
  readonly needs = { forward: false } as const;
  private readonly loss: Float32Array;
  private readonly when: Float64Array;
  private seen = 0;
  constructor(
    size: number,
    private readonly o: { decay: number; ageBonus: number; uncertainty: boolean },
  ) {
    this.loss = new Float32Array(size).fill(Number.NaN);
    this.when = new Float64Array(size);
  }
  score(b: ScoringBatch): Float32Array {
    this.seen += b.indices.length;
    return Float32Array.from(b.indices, (i) => {
      const l = this.loss[i]!;
      if (Number.isNaN(l)) return 1e9;
      const s = this.o.uncertainty ? Math.exp(-l) * (1 - Math.exp(-l)) : l;
      return s + (this.o.ageBonus * (this.seen - this.when[i]!)) / this.loss.length;
    });
  }
  observe(indices: Int32Array, losses: Float32Array): void {
    indices.forEach((i, k) => {
      this.loss[i] = losses[k]! * this.o.decay;
      this.when[i] = this.seen;
    });
  }
  state() {
    return {};
  }
  restore() {}
}

/** Research scorer: fresh losses of a forward pass whose CPU time is not charged to the budget (as if it ran on the other core). */
class FreeFreshScorer implements SignificanceScorer {
  readonly name = 'free-fresh';
  readonly needs = { forward: false } as const;
  private history: number[] = [];
  private readonly normalization = normalizationFor(trainSet);
  constructor(
    private readonly model: Model,
    private readonly percentile: boolean,
  ) {}
  score(b: ScoringBatch): Float32Array {
    const t0 = cpuMs();
    const { losses } = forwardLosses(this.model, gatherBatch(trainSet, b.indices, this.normalization), 128);
    excludedMs += cpuMs() - t0;
    if (!this.percentile) return losses;
    this.history = [...this.history, ...losses].slice(-1024);
    const sorted = [...this.history].sort((x, y) => x - y);
    return Float32Array.from(losses, (l) => sorted.filter((h) => h < l).length / sorted.length);
  }
  state() {
    return {};
  }
  restore() {}
}

/** Research scorer: the running mean loss of the sample's class, mixed with its own stale loss. */
class ClassLossScorer implements SignificanceScorer {
  readonly name = 'class-loss';
  readonly needs = { forward: false } as const;
  private readonly classLoss = new Float64Array(10).fill(2.3);
  private readonly own: Float32Array;
  constructor(
    size: number,
    private readonly mix: number,
  ) {
    this.own = new Float32Array(size).fill(Number.NaN);
  }
  score(b: ScoringBatch): Float32Array {
    return Float32Array.from(b.indices, (i, k) => {
      const c = this.classLoss[b.labels[k]!]!;
      const s = this.own[i]!;
      return Number.isNaN(s) ? 2 * c : (1 - this.mix) * c + this.mix * s;
    });
  }
  observe(indices: Int32Array, losses: Float32Array): void {
    indices.forEach((i, k) => {
      this.own[i] = losses[k]!;
      const c = trainSet.labels[i]!;
      this.classLoss[c] = 0.95 * this.classLoss[c]! + 0.05 * losses[k]!;
    });
  }
  state() {
    return {};
  }
  restore() {}
}

/**
 * Research scorer (RHO-LOSS, Mindermann et al. 2022): the stale loss minus the
 * sample's irreducible loss, the loss under a model trained on the other half
 * of the training set only (two half-models, so every sample gets one).
 */
class ReducibleScorer implements SignificanceScorer {
  readonly name = 'reducible';
  readonly needs = { forward: false } as const;
  private readonly loss: Float32Array;
  constructor(private readonly irreducible: Float32Array) {
    this.loss = new Float32Array(irreducible.length).fill(Number.NaN);
  }
  score(b: ScoringBatch): Float32Array {
    return Float32Array.from(b.indices, (i) =>
      Number.isNaN(this.loss[i]!) ? 1e9 : this.loss[i]! - this.irreducible[i]!,
    );
  }
  observe(indices: Int32Array, losses: Float32Array): void {
    indices.forEach((i, k) => {
      this.loss[i] = losses[k]!;
    });
  }
  state() {
    return {};
  }
  restore() {}
}

/** Irreducible losses from two tiny ViTs, each trained (full) on one half for `seconds` CPU-s; returns them and the CPU seconds spent. */
async function irreducibleLosses(seed: number, seconds: number, lr: number) {
  const t0 = cpuMs();
  const order = [...permutation(trainSet.count, streamRandom(seed, 11))];
  const halves = [order.slice(0, order.length >> 1), order.slice(order.length >> 1)].map((h) =>
    h.sort((a, b) => a - b),
  );
  const irreducible = new Float32Array(trainSet.count);
  const normalization = normalizationFor(trainSet);
  for (const [k, half] of halves.entries()) {
    const model = createViT({ preset: 'tiny', seed: seed + 100 + k });
    await train({
      model,
      train: selectSamples(trainSet, half),
      epochs: 1_000_000,
      seed,
      lr,
      batchSize: 128,
      budgetSeconds: seconds,
      mode: 'full',
    });
    const other = halves[1 - k]!;
    for (let start = 0; start < other.length; start += 1024) {
      const indices = Int32Array.from(other.slice(start, start + 1024));
      const { losses } = forwardLosses(model, gatherBatch(trainSet, indices, normalization), 128);
      indices.forEach((i, j) => {
        irreducible[i] = losses[j]!;
      });
    }
    model.dispose();
  }
  return { irreducible, seconds: (cpuMs() - t0) / 1000 };
}

/** Research scorer: the stale-loss percentile, but a sample never trained on scores uniformly at random instead of 1. */
class UnseenRandomPercentile implements SignificanceScorer {
  readonly name = 'unseen-random';
  readonly needs = { forward: false } as const;
  private readonly loss: Float32Array;
  private history: number[] = [];
  private readonly random: () => number;
  constructor(size: number, seed: number) {
    this.loss = new Float32Array(size).fill(Number.NaN);
    this.random = streamRandom(seed, 13);
  }
  score(b: ScoringBatch): Float32Array {
    const sorted = [...this.history].sort((x, y) => x - y);
    return Float32Array.from(b.indices, (i) => {
      const l = this.loss[i]!;
      if (Number.isNaN(l) || sorted.length === 0) return this.random();
      let below = 0;
      while (below < sorted.length && sorted[below]! < l) below++;
      return below / sorted.length;
    });
  }
  observe(indices: Int32Array, losses: Float32Array): void {
    indices.forEach((i, k) => {
      this.loss[i] = losses[k]!;
    });
    this.history = [...this.history, ...losses].slice(-1024);
  }
  state() {
    return {};
  }
  restore() {}
}

type Variant = { name: string } & Record<string, unknown>;
/** A variant's scorer: one of the research scorers above, or any `createScorer` name. */
function researchScorer(name: string, v: Variant, seed: number, model: Model): SignificanceScorer {
  switch (name) {
    case 'stale-variant':
      return new StaleVariant(trainSet.count, {
        decay: Number(v['decay'] ?? 1),
        ageBonus: Number(v['age'] ?? 0),
        uncertainty: v['uncertainty'] === true,
      });
    case 'free-fresh':
      return new FreeFreshScorer(model, v['percentile'] === true);
    case 'unseen-random':
      return new UnseenRandomPercentile(trainSet.count, seed);
    case 'class-loss':
      return new ClassLossScorer(trainSet.count, Number(v['mix'] ?? 0));
    default:
      return createScorer(name, { seed, datasetSize: trainSet.count });
  }
}

const variants = JSON.parse(arg('variants', '[]')) as Variant[];
for (const seed of seeds) {
  const model = createViT({ preset: 'tiny', seed });
  const initial = model.getWeights();
  for (const v of variants) {
    model.setWeights(initial);
    const mode = (v['mode'] as TrainOptions['mode']) ?? 'sparse';
    const rate = Number(v['rate'] ?? 0.1);
    const scorerName = String(v['scorer'] ?? 'random');
    // RHO-LOSS: the half-models' CPU seconds are charged to this run's budget when `charge` is set.
    const il =
      scorerName === 'reducible' ? await irreducibleLosses(seed, Number(v['ilSeconds'] ?? 5), 2e-3) : null;
    const runBudget = il && v['charge'] === true ? budget - il.seconds : budget;
    const scorer = il ? new ReducibleScorer(il.irreducible) : researchScorer(scorerName, v, seed, model);
    const gate = createGate(String(v['gate'] ?? 'sundew'), {
      targetActivationRate: rate,
      seed,
      ...(v['energy'] ? { sundew: energyForRate(rate) } : {}),
    });
    const { metrics } = await train({
      model,
      train: trainSet,
      validation: testSet,
      epochs: 1_000_000,
      seed,
      lr: Number(v['lr'] ?? arg('lr', '0.001')),
      batchSize: Number(v['batch'] ?? 128),
      budgetSeconds: runBudget,
      mode,
      ...(mode === 'full' ? {} : { scorer, gate }),
      selection: (v['selection'] as TrainOptions['selection']) ?? 'per-batch',
      reweight: (v['reweight'] as TrainOptions['reweight']) ?? 'none',
      warmupEpochs: Number(v['warmup'] ?? 0),
    });
    const last = metrics.epochs.at(-1)!;
    const trained = metrics.epochs.reduce((a, e) => a + e.samplesProcessed, 0);
    const seen = metrics.epochs.reduce((a, e) => a + e.samplesProcessed + e.samplesSkipped, 0);
    console.log(
      JSON.stringify({
        seed,
        name: v.name,
        ...(il ? { ilSeconds: Number(il.seconds.toFixed(2)), budget: Number(runBudget.toFixed(2)) } : {}),
        acc: Number((100 * (last.valAccuracy ?? Number.NaN)).toFixed(2)),
        epochs: metrics.epochs.length,
        trained,
        rate: Number((trained / seen).toFixed(3)),
      }),
    );
  }
  model.dispose();
}
process.exit(0);
