import type { JsonObject, ScoringBatch, SignificanceScorer } from '@sundew/types';
import { fromBase64, toBase64 } from './base64.js';
import { checkOption, ScorerConfigError } from './errors.js';

/** Options of the class-balanced wrapper. */
export interface ClassBalancedOptions {
  /** Dataset size: balancing starts once this many distinct indices were seen (a whole pass of labels). */
  datasetSize: number;
  /**
   * How far toward equal classes: a sample of class c has its score s mapped to
   * 1 − (1 − s) · (n_c / n_max)^power. Under a threshold that keeps a share of
   * uniform scores, class c is then kept in proportion to (n_max / n_c)^power
   * (capped at every sample): 1 (default) takes as many of each class, 0.5 the
   * square-root rates of long-tail sampling, 0 turns balancing off.
   */
  power?: number;
  /**
   * The largest-to-smallest class ratio at which balancing starts (default 1.5):
   * below it the classes count as balanced and scores pass unchanged, so label
   * noise on a balanced set (which moves class counts by a few percent) leaves
   * the inner scorer's choices exactly as they were. The counts must also be
   * unlikely under equal classes (χ² test, p < 0.001): a small random subset
   * of a balanced set (19 ± 4 per class in 192 images) is left as it is.
   */
  minRatio?: number;
}

/** What the wrapper carries between batches. */
export interface ClassBalancedState extends JsonObject {
  inner: JsonObject;
  /** Each index's label (−1 unseen) as base64 Int16. */
  labels: string;
}

/**
 * Class-aware rates over any scorer whose scores lie in [0, 1] (percentiles,
 * random draws): on a long-tailed training set, the samples of rare classes
 * score higher, so the gate's share is spread more evenly over the classes;
 * within a class the inner scorer's order is kept. Class sizes are counted from
 * the labels of the batches (each index once), and used after a whole pass;
 * scores above 1 (an inner scorer's "always") stay above every balanced one.
 */
export class ClassBalancedScorer<S extends JsonObject = JsonObject>
  implements SignificanceScorer<ClassBalancedState>
{
  readonly name: string;
  readonly needs: SignificanceScorer['needs'];
  private readonly power: number;
  private readonly minRatio: number;
  private readonly datasetSize: number;
  private labels: Int16Array;
  private counts: number[] = [];
  private seen = 0;
  /** Per-class factor (n_c / n_max)^power once balancing is on; null while off. */
  private factors: Float64Array | null = null;
  private dirty = true;

  constructor(
    readonly inner: SignificanceScorer<S>,
    options: ClassBalancedOptions,
    name = `${inner.name}-balanced`,
  ) {
    this.name = name;
    this.needs = inner.needs;
    if (!(Number.isInteger(options.datasetSize) && options.datasetSize > 0)) {
      throw new ScorerConfigError(
        `${name}: datasetSize must be a positive integer (the training set's size); received ${options.datasetSize}`,
      );
    }
    this.datasetSize = options.datasetSize;
    this.power = checkOption(name, 'power', options.power ?? 1, 0, 4);
    this.minRatio = checkOption(name, 'minRatio', options.minRatio ?? 1.5, 1, 1e6);
    this.labels = new Int16Array(options.datasetSize).fill(-1);
  }

  /** Per-class factors in use (n_c / n_max)^power, or null while the classes count as balanced or not all were seen. */
  get classFactors(): readonly number[] | null {
    this.refresh();
    return this.factors ? [...this.factors] : null;
  }

  score(batch: ScoringBatch): Float32Array {
    this.remember(batch.indices, batch.labels);
    const s = this.inner.score(batch);
    this.refresh();
    const f = this.factors;
    if (!f) return s;
    return Float32Array.from(s, (v, i) => {
      if (v > 1) return v;
      const r = f[batch.labels[i]!] ?? 1;
      return 1 - (1 - Math.max(0, v)) * r;
    });
  }

  observe(indices: Int32Array, losses: Float32Array): void {
    this.inner.observe?.(indices, losses);
  }

  private remember(indices: Int32Array, labels: Int32Array): void {
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (index < 0 || index >= this.labels.length) continue;
      const label = labels[i]!;
      const was = this.labels[index]!;
      if (was === label) continue;
      if (was >= 0) this.counts[was]!--;
      else this.seen++;
      this.labels[index] = label;
      this.counts[label] = (this.counts[label] ?? 0) + 1;
      this.dirty = true;
    }
  }

  private refresh(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.factors = null;
    if (this.power === 0 || this.seen < this.datasetSize) return;
    if (!isLongTail(this.counts, this.minRatio)) return;
    const max = Math.max(...this.counts.filter((n) => n > 0));
    this.factors = Float64Array.from(this.counts, (n) => ((n ?? 0) / max) ** this.power);
  }

  state(): ClassBalancedState {
    return { inner: this.inner.state(), labels: toBase64(this.labels) };
  }

  restore(state: ClassBalancedState): void {
    this.inner.restore(state.inner as S);
    const bytes = fromBase64(state.labels);
    if (bytes.byteLength !== this.labels.byteLength) {
      throw new ScorerConfigError(
        `${this.name}: the state holds labels of ${bytes.byteLength / 2} samples, this scorer was made for ${this.labels.length}`,
      );
    }
    this.labels = new Int16Array(bytes.buffer);
    this.counts = countClasses(this.labels);
    this.seen = this.counts.reduce((a, b) => a + b, 0);
    this.dirty = true;
  }
}

/** How many of `labels` (−1: unseen, not counted) each class has. */
export function countClasses(labels: Iterable<number>): number[] {
  const counts: number[] = [];
  for (const label of labels) if (label >= 0) counts[label] = (counts[label] ?? 0) + 1;
  return Array.from(counts, (n) => n ?? 0);
}

/**
 * Whether class counts (the classes present) are a long tail: the largest at
 * least `minRatio` × the smallest, and a χ² test rejects equal classes.
 */
export function isLongTail(counts: readonly number[], minRatio = 1.5): boolean {
  const present = counts.filter((n) => n > 0);
  if (present.length < 2) return false;
  return Math.max(...present) / Math.min(...present) >= minRatio && unequal(present);
}

/** Whether class counts reject equal classes: Pearson's χ² above its 0.999 quantile (Wilson–Hilferty). */
function unequal(counts: number[]): boolean {
  const k = counts.length - 1;
  if (k < 1) return false;
  const expected = counts.reduce((a, b) => a + b, 0) / counts.length;
  const chi2 = counts.reduce((t, n) => t + (n - expected) ** 2 / expected, 0);
  const z = 3.0902; // the 0.999 quantile of the standard normal
  return chi2 > k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
}
