import type { JsonObject, ScoringBatch, SignificanceScorer } from '@sundew/types';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { fromBase64, toBase64 } from './base64.js';
import { countClasses, isLongTail } from './class-balanced.js';
import { checkOption } from './errors.js';
import { fitLossMixture, highLossPosterior, type LossMixture } from './loss-mixture.js';
import { LossPercentileScorer, type LossPercentileState } from './loss-percentile.js';

/** Options of the noise-aware scorer. */
export interface NoiseAwareOptions {
  /** Dataset size (the loss cache). */
  datasetSize?: number;
  /**
   * How samples that look mislabeled are told apart. `mixture` (default): a
   * two-Gaussian fit of the cached losses (DivideMix); when its components are
   * separated (Ashman's D ≥ `separation`), a sample's score is multiplied by
   * P(low-loss component | its loss). `band`: the top `skipTop` of the loss
   * percentiles scores lowest. `none`: the stale-loss percentile.
   */
  filter?: 'mixture' | 'band' | 'persistence' | 'guard' | 'none';
  /**
   * `guard`: random scores until `probe` × the dataset size losses were
   * observed (an unbiased look at the losses); then, while the (class-relative)
   * mixture finds no separate poorly-fitted population, the stale-loss
   * percentile; once it finds one (mislabeled samples), random scores for the
   * rest of the run: high-loss selection would chase the wrong labels. Default probe 0.5.
   */
  probe?: number;
  /**
   * `guard`, once mislabeled samples were found: `random` (default) scores
   * every sample at random for the rest of the run; `clean` keeps the same
   * random order but puts the samples that the fit which found them calls
   * likely mislabeled (it is not refitted: trained only on the likely clean,
   * their losses fall and a refit's boundary would follow them down) below
   * every likely-clean one, so the gate trains on them only when it wants more
   * than the likely-clean share of a batch.
   */
  onNoise?: 'random' | 'clean';
  /**
   * `guard` with `classRelative`, on a long-tailed training set (as
   * `ClassBalancedScorer` counts one: largest class ≥ 1.5 × the smallest, χ²
   * rejecting equal classes, from the labels seen): `loss` (default) the
   * stale-loss percentile as on balanced data; `random` random scores, the
   * percentile only where the class-relative test can vouch for the labels. A
   * rare class that receives flipped labels can be half wrong, and its median
   * is then no clean reference: at 20 % noise on a 10:1 tail the test's D was
   * 1.35–1.84, overlapping clean data's, and high-loss selection chased the
   * wrong labels.
   */
  onLongTail?: 'loss' | 'random';
  /**
   * `persistence`: a sample trained on while its loss is above the median and
   * does not fall below `progress` × its loss of the time before adds one to
   * its streak; its score is multiplied by `discount`^streak. A loss that falls
   * (or a low one) resets the streak. Defaults 0.5 and 0.9.
   */
  discount?: number;
  progress?: number;
  /**
   * How samples are ranked while the mixture finds a poorly-fitted population:
   * `loss`: the percentile times P(fits); `random` (default): at random, the
   * likely-mislabeled below every likely-clean sample — high-loss preference
   * off, since near the boundary the highest losses are the mislabeled.
   */
  within?: 'loss' | 'random';
  /**
   * Fit the mixture to each loss minus the median loss of its sample's class
   * (the label the batch gave): a class that is hard as a whole (a long tail)
   * is no separate population; samples far above their own class are. Default false.
   */
  classRelative?: boolean;
  /** Ashman's D at which the mixture counts as two populations. Default 2.5. */
  separation?: number;
  /**
   * `guard`: the stale-loss percentile only while the last fit's D is below
   * this; from it up to `separation` the labels are undecided — random
   * scores (the random scorer's, draw for draw), and the next fit looks
   * again. Default: `separation` (no undecided band: below it, the percentile).
   */
  clearBelow?: number;
  /** `band`: share of the highest percentiles skipped. Default 0.2. */
  skipTop?: number;
  /** Share of each batch scored above every other sample, drawn at random (refreshes stale losses). Default 0.05. */
  explore?: number;
  /** Refit the mixture after this many observed losses (default: a tenth of the dataset, at least 256). */
  refitEvery?: number;
  seed?: number;
}

/** Everything the scorer carries between batches. */
export interface NoiseAwareState extends JsonObject {
  percentile: LossPercentileState;
  mixture: JsonObject | null;
  sinceFit: number;
  rng: number[];
  observed: number;
  noisy: boolean;
  /** `guard`, `onLongTail: 'random'`: the labels form a long tail (absent in states written before it). */
  tail: boolean;
  /** classRelative: each index's label (−1 unseen) as base64 Int16, and the class medians of the last fit. */
  labels: string | null;
  medians: number[] | null;
  /** persistence: each index's loss the last time it was trained, its streak (base64) and the median used. */
  previous: string | null;
  streak: string | null;
  median: number | null;
}

/**
 * Stale-loss percentiles that do not chase wrong labels. High-loss selection
 * trains most on what the model cannot fit, and with noisy labels that is the
 * mislabeled samples; this scorer keeps the high-loss preference but discounts
 * the samples whose loss puts them in a separate poorly-fitted population (or
 * in the top band), and spends a small share of each batch at random so a
 * sample wrongly discounted gets a fresh loss.
 */
export class NoiseAwareScorer implements SignificanceScorer<NoiseAwareState> {
  readonly name: string;
  readonly needs = { forward: false } as const;
  private readonly percentile: LossPercentileScorer;
  private readonly filter: 'mixture' | 'band' | 'persistence' | 'guard' | 'none';
  private readonly probeSize: number;
  private observed = 0;
  /** `guard`: a separate poorly-fitted population was found (sticky). */
  private noisy = false;
  private readonly onNoise: 'random' | 'clean';
  private readonly onLongTail: 'loss' | 'random';
  /** `guard`, `onLongTail: 'random'`: the labels seen at the last check form a long tail. */
  private tail = false;
  private readonly discount: number;
  private readonly progress: number;
  private previous: Float32Array;
  private streak: Uint8Array;
  private median = Number.POSITIVE_INFINITY;
  private readonly within: 'loss' | 'random';
  private readonly classRelative: boolean;
  /** The label each dataset index had when last scored (−1: never), and each class's median loss at the last fit. */
  private labels: Int16Array;
  private medians: Float64Array = new Float64Array(0);
  private readonly separation: number;
  private readonly clearBelow: number;
  private readonly skipTop: number;
  private readonly explore: number;
  private readonly refitEvery: number;
  private mixture: LossMixture | null = null;
  private sinceFit = 0;
  private rng;

  constructor(options: NoiseAwareOptions = {}, name = 'noise-aware') {
    this.name = name;
    const size = options.datasetSize !== undefined ? { datasetSize: options.datasetSize } : {};
    this.percentile = new LossPercentileScorer({ source: 'stale', ...size });
    this.filter = options.filter ?? 'mixture';
    this.within = options.within ?? 'random';
    this.onNoise = options.onNoise ?? 'random';
    this.onLongTail = options.onLongTail ?? 'loss';
    this.probeSize = Math.ceil(
      checkOption(name, 'probe', options.probe ?? 0.5, 0, 100) * (options.datasetSize ?? 2560),
    );
    this.discount = checkOption(name, 'discount', options.discount ?? 0.5, 0, 1);
    this.progress = checkOption(name, 'progress', options.progress ?? 0.9, 0, 10);
    this.previous = new Float32Array(options.datasetSize ?? 1024).fill(Number.NaN);
    this.streak = new Uint8Array(options.datasetSize ?? 1024);
    this.classRelative = options.classRelative ?? false;
    this.labels = new Int16Array(options.datasetSize ?? 1024).fill(-1);
    this.separation = checkOption(name, 'separation', options.separation ?? 2.5, 0, 100);
    this.clearBelow = checkOption(
      name,
      'clearBelow',
      options.clearBelow ?? this.separation,
      0,
      this.separation,
    );
    this.skipTop = checkOption(name, 'skipTop', options.skipTop ?? 0.2, 0, 0.9);
    this.explore = checkOption(name, 'explore', options.explore ?? 0.05, 0, 1);
    this.refitEvery = Math.floor(
      checkOption(
        name,
        'refitEvery',
        options.refitEvery ?? Math.max(256, Math.floor((options.datasetSize ?? 2560) / 10)),
        1,
        1e9,
      ),
    );
    // `guard` draws its random scores as the random scorer of the same seed does (one per sample,
    // every batch): while it is random, AST with it takes the random control's steps exactly.
    this.rng = xoroshiro128plus(this.filter === 'guard' ? (options.seed ?? 0) : (options.seed ?? 0) ^ 0x5eed);
  }

  /** `guard`, `onLongTail: 'random'`: whether the labels seen form a long tail; then scores are random. */
  get foundLongTail(): boolean {
    return this.tail;
  }

  /** `guard`: whether a separate poorly-fitted population (mislabeled samples) was found; then scores are random. */
  get foundNoise(): boolean {
    return this.noisy;
  }

  /**
   * `guard`: whether the last fit vouches for the labels (D below `clearBelow`, or no
   * undecided band); past the probe, without noise or a long tail, scores are then the
   * stale-loss percentile, else random.
   */
  get labelsVouched(): boolean {
    return (
      this.clearBelow >= this.separation ||
      (this.mixture !== null && this.mixture.separation < this.clearBelow)
    );
  }

  /** The mixture fitted last (null before the first fit or without the `mixture` filter). */
  get lastMixture(): LossMixture | null {
    return this.mixture;
  }

  score(batch: ScoringBatch): Float32Array {
    if (this.classRelative) this.rememberLabels(batch.indices, batch.labels);
    if (this.filter === 'guard') {
      // One draw per sample in every phase, as the random scorer draws: the stream stays the control's.
      const u = Float32Array.from(batch.indices, () => uniformFloat64(this.rng));
      if (this.observed < this.probeSize) return u;
      if (!this.noisy) return this.tail || !this.labelsVouched ? u : this.percentile.score(batch);
      if (this.onNoise === 'random') return u;
      // The control's random order within each group; the likely-mislabeled below every likely-clean sample.
      return Float32Array.from(u, (x, i) =>
        this.looksMislabeled(batch.indices[i]!, batch.labels[i]!) ? 0.5 * x : 0.5 + 0.5 * x,
      );
    }
    const q = this.percentile.score(batch);
    const losses = Float32Array.from(batch.indices, (index) => this.percentile.cachedLoss(index));
    const m =
      this.filter === 'mixture' && this.mixture && this.mixture.separation >= this.separation
        ? this.mixture
        : null;
    const out = Float32Array.from(q, (p, i) => {
      const loss = losses[i]!;
      // Exploration first, one draw per sample whatever the filter: the stream stays aligned.
      const explored = this.explore > 0 && uniformFloat64(this.rng) < this.explore;
      const u = m && this.within === 'random' ? uniformFloat64(this.rng) : 0;
      if (explored) return 2;
      if (Number.isNaN(loss)) return m && this.within === 'random' ? 1 + u : p;
      const x = this.classRelative ? loss - (this.medians[batch.labels[i]!] ?? 0) : loss;
      if (m && this.within === 'random') return (1 - highLossPosterior(m, x) >= 0.5 ? 1 : 0) + u;
      if (m) return p * (1 - highLossPosterior(m, x));
      if (this.filter === 'band' && p > 1 - this.skipTop) return (1 - p) * 1e-3;
      if (this.filter === 'persistence') {
        const index = batch.indices[i]!;
        return p * this.discount ** (index < this.streak.length ? this.streak[index]! : 0);
      }
      return p;
    });
    return out;
  }

  observe(indices: Int32Array, losses: Float32Array): void {
    this.percentile.observe(indices, losses);
    this.sinceFit += indices.length;
    this.observed += indices.length;
    if (this.filter === 'guard') {
      if (this.observed >= this.probeSize && !this.noisy && this.sinceFit >= this.refitEvery) {
        this.mixture = this.fit();
        this.noisy = this.mixture !== null && this.mixture.separation >= this.separation;
        if (this.onLongTail === 'random' && this.classRelative)
          this.tail = isLongTail(countClasses(this.labels));
        this.sinceFit = 0;
      }
      return;
    }
    if (this.filter === 'persistence') {
      this.track(indices, losses);
      if (this.sinceFit >= this.refitEvery) {
        const seen = Float64Array.from(this.cache().filter((l) => !Number.isNaN(l))).sort();
        this.median = seen.length > 0 ? seen[Math.floor(seen.length / 2)]! : Number.POSITIVE_INFINITY;
        this.sinceFit = 0;
      }
    }
    if (this.filter === 'mixture' && this.sinceFit >= this.refitEvery) {
      this.mixture = this.fit();
      this.sinceFit = 0;
    }
  }

  /**
   * The dataset indices the last mixture puts in its poorly-fitted population
   * (P ≥ 0.5; class-relative when the scorer is): the likely mislabeled once
   * `foundNoise`, and the samples `onNoise: 'clean'` keeps below the rest.
   * Empty before the first fit.
   */
  likelyMislabeled(): Int32Array {
    if (this.mixture === null) return new Int32Array(0);
    const cache = this.cache();
    const out: number[] = [];
    for (let index = 0; index < cache.length; index++) {
      const label = this.classRelative ? (index < this.labels.length ? this.labels[index]! : -1) : 0;
      if (label >= 0 && this.looksMislabeled(index, label)) out.push(index);
    }
    return Int32Array.from(out);
  }

  /** Whether a sample's stale loss (relative to its class's median when class-relative) lies in the mixture's high-loss population. */
  private looksMislabeled(index: number, label: number): boolean {
    const loss = this.percentile.cachedLoss(index);
    if (this.mixture === null || Number.isNaN(loss)) return false;
    const x = this.classRelative ? loss - (this.medians[label] ?? 0) : loss;
    return highLossPosterior(this.mixture, x) >= 0.5;
  }

  /** The stale losses, one per dataset index (NaN: never trained): the percentile scorer's cache. */
  private cache(): Float32Array {
    return this.percentile.cachedLosses()!;
  }

  /** The mixture of the cached losses (class-relative when asked). */
  private fit(): LossMixture | null {
    return fitLossMixture(this.classRelative ? this.relativeLosses() : this.cache());
  }

  private track(indices: Int32Array, losses: Float32Array): void {
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (index >= this.previous.length) {
        const size = Math.max(index + 1, 2 * this.previous.length);
        const previous = new Float32Array(size).fill(Number.NaN);
        previous.set(this.previous);
        this.previous = previous;
        const streak = new Uint8Array(size);
        streak.set(this.streak);
        this.streak = streak;
      }
      const loss = losses[i]!;
      const before = this.previous[index]!;
      const stuck = Number.isFinite(loss) && loss > this.median && !(loss < this.progress * before);
      this.streak[index] = stuck && !Number.isNaN(before) ? Math.min(60, this.streak[index]! + 1) : 0;
      this.previous[index] = Number.isFinite(loss) ? loss : Number.NaN;
    }
  }

  private rememberLabels(indices: Int32Array, labels: Int32Array): void {
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (index >= this.labels.length) {
        const grown = new Int16Array(Math.max(index + 1, 2 * this.labels.length)).fill(-1);
        grown.set(this.labels);
        this.labels = grown;
      }
      this.labels[index] = labels[i]!;
    }
  }

  /** Each cached loss minus the median cached loss of its class (NaN where unseen or unlabelled); updates `medians`. */
  private relativeLosses(): Float32Array {
    const cache = this.cache();
    const byClass: number[][] = [];
    for (let i = 0; i < cache.length; i++) {
      const label = i < this.labels.length ? this.labels[i]! : -1;
      if (label < 0 || Number.isNaN(cache[i]!)) continue;
      (byClass[label] ??= []).push(cache[i]!);
    }
    this.medians = Float64Array.from(byClass, (values) => {
      if (!values || values.length === 0) return 0;
      const sorted = Float64Array.from(values).sort();
      return sorted[Math.floor(sorted.length / 2)]!;
    });
    return Float32Array.from(cache, (loss, i) => {
      const label = i < this.labels.length ? this.labels[i]! : -1;
      return label < 0 || Number.isNaN(loss) ? Number.NaN : loss - (this.medians[label] ?? 0);
    });
  }

  state(): NoiseAwareState {
    return {
      percentile: this.percentile.state(),
      mixture: this.mixture ? (JSON.parse(JSON.stringify(this.mixture)) as JsonObject) : null,
      sinceFit: this.sinceFit,
      rng: [...this.rng.getState()],
      observed: this.observed,
      noisy: this.noisy,
      tail: this.tail,
      labels: this.classRelative ? toBase64(this.labels) : null,
      medians: this.classRelative ? [...this.medians] : null,
      previous: this.filter === 'persistence' ? toBase64(this.previous) : null,
      streak: this.filter === 'persistence' ? toBase64(this.streak) : null,
      median: this.filter === 'persistence' && Number.isFinite(this.median) ? this.median : null,
    };
  }

  restore(state: NoiseAwareState): void {
    this.percentile.restore(state.percentile);
    this.mixture = state.mixture as unknown as LossMixture | null;
    this.sinceFit = state.sinceFit;
    this.rng = xoroshiro128plusFromState(state.rng);
    this.observed = state.observed ?? 0;
    this.noisy = state.noisy ?? false;
    this.tail = state.tail ?? false;
    if (typeof state.previous === 'string' && typeof state.streak === 'string') {
      this.previous = new Float32Array(fromBase64(state.previous).buffer);
      this.streak = fromBase64(state.streak);
      this.median = state.median ?? Number.POSITIVE_INFINITY;
    }
    if (typeof state.labels === 'string') {
      this.labels = new Int16Array(fromBase64(state.labels).buffer);
      this.medians = Float64Array.from(state.medians ?? []);
    }
  }
}
