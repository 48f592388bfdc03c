import { describe, expect, it } from 'vitest';
import {
  fitLossMixture,
  highLossPosterior,
  type NoiseAwareOptions,
  NoiseAwareScorer,
  RandomScorer,
} from './index.js';

/** Seeded standard normals (Box–Muller on a small LCG): the fits are deterministic. */
function normals(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

describe('fitLossMixture', () => {
  it('recovers a clean and a mislabeled population of losses', () => {
    const z = normals(2000, 1);
    const losses = z.map((v, i) => (i < 1400 ? Math.abs(0.1 + 0.05 * v) : 3 + 0.6 * v));
    const m = fitLossMixture(losses)!;
    expect(m.low.mean).toBeCloseTo(0.1, 1);
    expect(m.high.mean).toBeCloseTo(3, 1);
    expect(m.high.weight).toBeCloseTo(0.3, 1);
    expect(m.separation).toBeGreaterThan(5);
    expect(highLossPosterior(m, 0.1)).toBe(0);
    expect(highLossPosterior(m, 3)).toBeGreaterThan(0.99);
    expect(highLossPosterior(m, 10)).toBeGreaterThan(0.99);
  });

  it('finds no two populations in one skewed population of losses', () => {
    // Exponential losses (a clean set's long tail): the two components overlap.
    const losses = normals(2000, 2).map((_, i) => -Math.log((i + 0.5) / 2000) * 0.3);
    expect(fitLossMixture(losses)!.separation).toBeLessThan(2.5);
  });

  it('needs 16 finite losses with some spread', () => {
    expect(fitLossMixture([1, 2, 3])).toBeNull();
    expect(fitLossMixture(new Array(100).fill(0.5))).toBeNull();
    expect(fitLossMixture([...new Array(20).fill(Number.NaN), 1, 2])).toBeNull();
  });
});

const batchOf = (indices: number[]) => ({
  indices: Int32Array.from(indices),
  labels: new Int32Array(indices.length),
  numClasses: 10,
});

describe('noise-aware scorer', () => {
  const all = Array.from({ length: 1000 }, (_, i) => i);
  const z = normals(1000, 3);
  // Samples 0..699 fit (loss ≈ 0.1–0.8), 700..999 do not (loss ≈ 3): the mislabeled ones.
  const losses = Float32Array.from(all, (i) => (i < 700 ? 0.1 + (0.7 * i) / 700 : 3 + 0.3 * z[i]!));

  it('within: random — the likely-clean samples in random order, every one above the separate population', () => {
    const s = new NoiseAwareScorer({ datasetSize: 1000, explore: 0, refitEvery: 1000, seed: 2 });
    s.observe(Int32Array.from(all), losses);
    const scores = Array.from(s.score(batchOf(all)));
    const clean = scores.slice(0, 680);
    const noisy = scores.slice(720);
    expect(Math.min(...clean)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...noisy)).toBeLessThan(1);
    // No loss preference among the clean: the upper half of the losses is not ranked first.
    const upper = clean.slice(340).reduce((a, b) => a + b, 0) / 340;
    const lower = clean.slice(0, 340).reduce((a, b) => a + b, 0) / 340;
    expect(Math.abs(upper - lower)).toBeLessThan(0.1);
  });

  it('classRelative: a class hard as a whole is no separate population; samples far above their class are', () => {
    // Classes 0–8 fit (loss ≈ 0.1–0.3), class 9 is hard throughout (≈ 2–2.6): a long tail, nothing mislabeled.
    const labels = Int32Array.from(all, (i) => (i < 900 ? i % 9 : 9));
    const tail = Float32Array.from(all, (i) =>
      i < 900 ? 0.1 + (0.2 * ((i * 7) % 100)) / 100 : 2 + (0.6 * ((i * 7) % 100)) / 100,
    );
    const batch = { indices: Int32Array.from(all), labels, numClasses: 10 };
    const plain = new NoiseAwareScorer({ datasetSize: 1000, explore: 0, refitEvery: 1000 });
    const relative = new NoiseAwareScorer({
      datasetSize: 1000,
      explore: 0,
      refitEvery: 1000,
      classRelative: true,
    });
    for (const s of [plain, relative]) {
      s.score(batch);
      s.observe(batch.indices, tail);
    }
    // The plain mixture takes the hard class for a mislabeled population; relative to its class, it is not.
    expect(plain.lastMixture!.separation).toBeGreaterThan(2.5);
    expect(Math.max(...Array.from(plain.score(batch).subarray(900)))).toBeLessThan(1);
    expect(relative.lastMixture === null || relative.lastMixture.separation < 2.5).toBe(true);
    // Mislabeled samples spread over every class stand out from their class: found relative to it too.
    const spread = Int32Array.from(all, (i) => i % 10);
    const noisy = new NoiseAwareScorer({
      datasetSize: 1000,
      explore: 0,
      refitEvery: 1000,
      classRelative: true,
    });
    const withNoise = { indices: Int32Array.from(all), labels: spread, numClasses: 10 };
    noisy.score(withNoise);
    noisy.observe(withNoise.indices, losses);
    expect(noisy.lastMixture!.separation).toBeGreaterThan(2.5);
    const scored = Array.from(noisy.score(withNoise));
    expect(Math.max(...scored.slice(720))).toBeLessThan(1);
    expect(Math.min(...scored.slice(0, 680))).toBeGreaterThanOrEqual(1);
  });

  it('within: loss — keeps preferring high losses among the samples that fit, and discounts a separate high-loss population', () => {
    const s = new NoiseAwareScorer({ datasetSize: 1000, explore: 0, refitEvery: 1000, within: 'loss' });
    s.observe(Int32Array.from(all), losses);
    expect(s.lastMixture!.separation).toBeGreaterThan(2.5);
    const scores = s.score(batchOf(all));
    // Within the fitting samples, higher loss scores higher.
    expect(scores[600]!).toBeGreaterThan(scores[100]!);
    // The separate population scores below the upper part of the fitting samples.
    const top = Math.max(...Array.from(scores.subarray(700)));
    expect(top).toBeLessThan(scores[600]!);
  });

  it('without the filter it is the stale-loss percentile: the highest losses score highest', () => {
    const s = new NoiseAwareScorer({ datasetSize: 1000, explore: 0, filter: 'none' });
    s.observe(Int32Array.from(all), losses);
    const scores = s.score(batchOf(all));
    expect(Math.min(...Array.from(scores.subarray(700)))).toBeGreaterThan(scores[600]!);
  });

  it('band skips the top share of percentiles', () => {
    const s = new NoiseAwareScorer({ datasetSize: 1000, explore: 0, filter: 'band', skipTop: 0.3 });
    s.observe(Int32Array.from(all), losses);
    const scores = s.score(batchOf(all));
    expect(Math.max(...Array.from(scores.subarray(700)))).toBeLessThan(0.01);
    expect(scores[650]!).toBeGreaterThan(0.5);
  });

  it('explores the asked share of each batch, above every other score', () => {
    const s = new NoiseAwareScorer({ datasetSize: 1000, explore: 0.1, seed: 4 });
    s.observe(Int32Array.from(all), losses);
    const scores = s.score(batchOf(all));
    const explored = Array.from(scores).filter((v) => v === 2).length;
    expect(explored).toBeGreaterThan(70);
    expect(explored).toBeLessThan(130);
  });

  it('unseen samples score as the percentile scorer scores them (1: tried first)', () => {
    const s = new NoiseAwareScorer({ datasetSize: 10, explore: 0 });
    expect(Array.from(s.score(batchOf([0, 1, 2])))).toEqual([1, 1, 1]);
  });

  it('continues bit for bit from its state', () => {
    const a = new NoiseAwareScorer({ datasetSize: 1000, seed: 5, refitEvery: 300 });
    a.observe(Int32Array.from(all.slice(0, 500)), losses.subarray(0, 500));
    const b = new NoiseAwareScorer({ datasetSize: 1000, seed: 5, refitEvery: 300 });
    b.restore(JSON.parse(JSON.stringify(a.state())));
    for (const s of [a, b]) s.observe(Int32Array.from(all.slice(500)), losses.subarray(500));
    expect(Array.from(b.score(batchOf(all)))).toEqual(Array.from(a.score(batchOf(all))));
  });

  it('persistence: a sample whose high loss does not fall when trained is discounted; one that learns is not', () => {
    const s = new NoiseAwareScorer({
      datasetSize: 1000,
      explore: 0,
      filter: 'persistence',
      refitEvery: 1000,
    });
    // A first look at every sample sets the median (losses 0.1–0.8 and ≈ 3).
    s.observe(Int32Array.from(all), losses);
    const before = s.score(batchOf([10, 800, 801]));
    // Sample 800 is trained twice more and stays at its loss (a wrong label); 801 learns (3 → 1 → 0.2).
    s.observe(Int32Array.of(800, 801), Float32Array.of(losses[800]!, 1));
    s.observe(Int32Array.of(800, 801), Float32Array.of(losses[800]!, 0.2));
    const after = s.score(batchOf([10, 800, 801]));
    expect(after[1]! / before[1]!).toBeCloseTo(0.25, 2);
    expect(after[2]!).toBeLessThan(before[2]!); // its stale loss is lower now: a lower percentile, no discount
    expect(after[2]!).toBeGreaterThan(0);
    // The state carries the streaks.
    const copy = new NoiseAwareScorer({
      datasetSize: 1000,
      explore: 0,
      filter: 'persistence',
      refitEvery: 1000,
    });
    copy.restore(JSON.parse(JSON.stringify(s.state())));
    expect(Array.from(copy.score(batchOf([10, 800, 801])))).toEqual(Array.from(after));
  });

  /** The guard as the default scorer sets it (class-relative, D ≥ 2, no exploration), checking every 100 losses. */
  const guard = (options: NoiseAwareOptions) =>
    new NoiseAwareScorer({
      datasetSize: 1000,
      filter: 'guard',
      classRelative: true,
      separation: 2,
      explore: 0,
      probe: 0.5,
      refitEvery: 100,
      ...options,
    });

  it('guard: random while probing, the stale-loss percentile on clean losses, random for good once mislabeled ones show', () => {
    const make = () => guard({ seed: 3 });
    const labels = Int32Array.from(all, (i) => i % 10);
    const batch = { indices: Int32Array.from(all), labels, numClasses: 10 };
    // Clean: one skewed population of losses (each class alike).
    const clean = make();
    clean.score(batch);
    clean.observe(
      Int32Array.from(all.slice(0, 400)),
      Float32Array.from(all.slice(0, 400), (i) => -Math.log((((i * 37) % 400) + 0.5) / 400) * 0.3),
    );
    const probing = clean.score(batch);
    // Still probing (400 < 500 observed): random scores, not the percentile (unseen samples would all score 1).
    expect(new Set(Array.from(probing)).size).toBeGreaterThan(900);
    clean.observe(
      Int32Array.from(all.slice(400)),
      Float32Array.from(all.slice(400), (i) => -Math.log((((i * 37) % 600) + 0.5) / 600) * 0.3),
    );
    expect(clean.foundNoise).toBe(false);
    const after = clean.score(batch);
    // The percentile of the stale loss: higher loss, higher score.
    const order = (i: number) => -Math.log((((i * 37) % 600) + 0.5) / 600);
    expect(Math.sign(after[500]! - after[501]!)).toBe(Math.sign(order(500) - order(501)));
    // Noisy: a separate population 30 % strong in every class → random scores from then on.
    const noisy = make();
    noisy.score(batch);
    noisy.observe(batch.indices, losses);
    expect(noisy.foundNoise).toBe(true);
    const s1 = noisy.score(batch);
    expect(Math.max(...Array.from(s1))).toBeLessThan(1);
    expect(Math.abs(s1.subarray(700).reduce((a, b) => a + b, 0) / 300 - 0.5)).toBeLessThan(0.1);
    // It stays random (sticky), and the state carries it.
    const copy = make();
    copy.restore(JSON.parse(JSON.stringify(noisy.state())));
    expect(copy.foundNoise).toBe(true);
    expect(Array.from(copy.score(batch))).toEqual(Array.from(noisy.score(batch)));
  });

  it("guard, onNoise: 'clean': once mislabeled ones show, the control's random order with them below every likely-clean sample", () => {
    const make = (onNoise: 'random' | 'clean') => guard({ seed: 5, onNoise });
    const labels = Int32Array.from(all, (i) => i % 10);
    const batch = { indices: Int32Array.from(all), labels, numClasses: 10 };
    const [clean, random] = [make('clean'), make('random')];
    for (const s of [clean, random]) {
      expect(s.likelyMislabeled()).toHaveLength(0);
      s.score(batch);
      s.observe(batch.indices, losses);
      expect(s.foundNoise).toBe(true);
    }
    // The samples of the separate population (700..999) are the ones it calls likely mislabeled.
    expect(Array.from(clean.likelyMislabeled())).toEqual(all.slice(700));
    const [c, r] = [clean.score(batch), random.score(batch)];
    // The same draws: each group in the random scorer's order, the likely mislabeled all below 0.5.
    for (let i = 0; i < 1000; i++) expect(c[i]).toBeCloseTo(i < 700 ? 0.5 + 0.5 * r[i]! : 0.5 * r[i]!, 6);
    // The fit of the time noise was found stays: training only the likely clean would pull a refit's
    // boundary down onto them. A sample whose new loss lies above that boundary joins the likely mislabeled.
    const found = structuredClone(clean.lastMixture);
    clean.observe(
      Int32Array.from(all.slice(0, 400)),
      Float32Array.from(all.slice(0, 400), (i) => (i < 10 ? 4 : 0.05)),
    );
    expect(clean.lastMixture).toEqual(found);
    expect(Array.from(clean.likelyMislabeled())).toEqual([...all.slice(0, 10), ...all.slice(700)]);
    const copy = make('clean');
    copy.restore(JSON.parse(JSON.stringify(clean.state())));
    expect(Array.from(copy.score(batch))).toEqual(Array.from(clean.score(batch)));
  });

  it("guard, onLongTail: 'random': on a long tail its scores stay the random scorer's, draw for draw; balanced labels keep the percentile", () => {
    const make = (labels: Int32Array, onLongTail: 'loss' | 'random') => {
      const scorer = guard({ datasetSize: labels.length, seed: 7, onLongTail });
      const random = new RandomScorer({ seed: 7 });
      const indices = Int32Array.from(labels, (_, i) => i);
      const batch = { indices, labels, numClasses: 4 };
      // One population of losses, no mislabeled ones: only the class counts differ.
      const loss = Float32Array.from(indices, (i) => -Math.log((((i * 37) % 600) + 0.5) / 600) * 0.3);
      const rows: { guard: Float32Array; random: Float32Array }[] = [];
      for (let k = 0; k < 3; k++) {
        rows.push({ guard: scorer.score(batch), random: random.score(batch) });
        scorer.observe(indices, loss);
      }
      return { guard: scorer, rows };
    };
    const tail = Int32Array.from([400, 200, 100, 50].flatMap((n, c) => new Array<number>(n).fill(c)));
    const even = Int32Array.from({ length: 750 }, (_, i) => i % 4);
    const onTail = make(tail, 'random');
    expect(onTail.guard.foundNoise).toBe(false);
    expect(onTail.guard.foundLongTail).toBe(true);
    for (const row of onTail.rows) expect(Array.from(row.guard)).toEqual(Array.from(row.random));
    // The default (loss) and balanced labels: the percentile after the probe (higher loss, higher score).
    for (const other of [make(tail, 'loss'), make(even, 'random')]) {
      expect(other.guard.foundLongTail).toBe(false);
      expect(Array.from(other.rows[2]!.guard)).not.toEqual(Array.from(other.rows[2]!.random));
    }
    const copy = new NoiseAwareScorer({
      datasetSize: tail.length,
      filter: 'guard',
      classRelative: true,
      onLongTail: 'random',
    });
    copy.restore(JSON.parse(JSON.stringify(onTail.guard.state())));
    expect(copy.foundLongTail).toBe(true);
  });

  it('guard, clearBelow: random while the labels are undecided (clearBelow ≤ D < separation), the percentile once D is below', () => {
    const labels = Int32Array.from(all, (i) => i % 10);
    const batch = { indices: Int32Array.from(all), labels, numClasses: 10 };
    // One skewed population of losses: the fit finds no noise; its D lies between 0 and 2.
    const clean = Float32Array.from(all, (i) => -Math.log((((i * 37) % 1000) + 0.5) / 1000) * 0.3);
    const run = (clearBelow?: number) => {
      const scorer = guard({ seed: 9, ...(clearBelow !== undefined ? { clearBelow } : {}) });
      const random = new RandomScorer({ seed: 9 });
      const rows: { guard: Float32Array; random: Float32Array }[] = [];
      for (let k = 0; k < 3; k++) {
        rows.push({ guard: scorer.score(batch), random: random.score(batch) });
        scorer.observe(batch.indices, clean);
      }
      return { scorer, rows };
    };
    const plain = run();
    expect(plain.scorer.foundNoise).toBe(false);
    const d = plain.scorer.lastMixture!.separation;
    expect(d).toBeGreaterThan(0.2);
    expect(d).toBeLessThan(2);
    expect(plain.scorer.labelsVouched).toBe(true);
    // Undecided (D at or above clearBelow): the random scorer's draws, batch for batch, and no noise found.
    const undecided = run(d - 0.1);
    expect(undecided.scorer.labelsVouched).toBe(false);
    expect(undecided.scorer.foundNoise).toBe(false);
    for (const row of undecided.rows) expect(Array.from(row.guard)).toEqual(Array.from(row.random));
    // Vouched (D below clearBelow): the percentile, as without a band.
    const vouched = run(d + 0.1);
    expect(vouched.scorer.labelsVouched).toBe(true);
    expect(Array.from(vouched.rows[2]!.guard)).toEqual(Array.from(plain.rows[2]!.guard));
    expect(Array.from(vouched.rows[2]!.guard)).not.toEqual(Array.from(vouched.rows[2]!.random));
    // The state carries it (the band is read from the last fit).
    const copy = guard({ seed: 9, clearBelow: d - 0.1 });
    copy.restore(JSON.parse(JSON.stringify(undecided.scorer.state())));
    expect(copy.labelsVouched).toBe(false);
    expect(Array.from(copy.score(batch))).toEqual(Array.from(undecided.scorer.score(batch)));
  });

  it('guard: while random, its scores are the random scorer of the same seed, draw for draw', () => {
    const guard = new NoiseAwareScorer({ datasetSize: 1000, filter: 'guard', explore: 0, seed: 11 });
    const random = new RandomScorer({ seed: 11 });
    for (let k = 0; k < 3; k++) {
      const batch = batchOf(all.slice(k * 100, k * 100 + 100));
      expect(Array.from(guard.score(batch))).toEqual(Array.from(random.score(batch)));
    }
  });

  it('names a bad option and its range', () => {
    expect(() => new NoiseAwareScorer({ explore: 1.5 })).toThrow(
      'noise-aware: explore must be a finite number in [0, 1]; received 1.5',
    );
    expect(() => new NoiseAwareScorer({ filter: 'guard', separation: 2, clearBelow: 2.5 })).toThrow(
      'noise-aware: clearBelow must be a finite number in [0, 2]; received 2.5',
    );
  });
});
