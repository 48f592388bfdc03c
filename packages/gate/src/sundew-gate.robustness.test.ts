import type { Gate } from '@sundew/types';
import fc from 'fast-check';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import {
  LibraryGate,
  SCRIPT_CONFIG_DEFAULTS,
  SCRIPT_TRAINER_CONFIG,
  ScriptGate,
  SundewGate,
  type SundewGateConfig,
  TopKGate,
} from './index.js';

const TARGET = 0.1;

/** A stretch of batches: how many, their sizes, and each score given the batch index within the stretch. */
interface Segment {
  batches: number;
  size: (b: number) => number;
  score: (b: number, u: () => number) => number;
}

/**
 * Feed a gate segment after segment; returns the activation rate of every
 * window of `window` batches, and the threshold's range and finiteness.
 */
function feed(gate: Gate, segments: Segment[], window: number, seed = 1) {
  const rng = xoroshiro128plus(seed);
  const u = (): number => uniformFloat64(rng);
  const rates: number[] = [];
  let active = 0;
  let seen = 0;
  let count = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let finite = true;
  for (const segment of segments) {
    for (let b = 0; b < segment.batches; b++) {
      const scores = Float32Array.from({ length: segment.size(b) }, () => segment.score(b, u));
      active += gate.decide(scores).reduce((n, m) => n + m, 0);
      seen += scores.length;
      const { threshold, ...counts } = gate.stats();
      lo = Math.min(lo, threshold);
      hi = Math.max(hi, threshold);
      finite &&= Number.isFinite(threshold) && Object.values(counts).every(Number.isFinite);
      if (++count % window === 0) {
        rates.push(active / seen);
        active = 0;
        seen = 0;
      }
    }
  }
  return { rates, lo, hi, finite };
}

const uniform = (batches: number, size = 128): Segment => ({
  batches,
  size: () => size,
  score: (_b, u) => u(),
});
const constant = (batches: number, c: number): Segment => ({ batches, size: () => 128, score: () => c });
const near = (rate: number) => Math.abs(rate / TARGET - 1);
const gate = (config: SundewGateConfig = {}) =>
  new SundewGate({ targetActivationRate: TARGET, seed: 3, ...config });

describe('SundewGate robustness: stays in range and holds the target rate', () => {
  it('scores that drift from 0.8 to 0.2 (a loss falling as training goes): every 100-batch window within ±20 %', () => {
    const drift: Segment = {
      batches: 2000,
      size: () => 128,
      score: (b, u) => Math.min(1, Math.max(0, 0.8 - (0.6 * b) / 2000 + 0.2 * (u() - 0.5))),
    };
    const r = feed(gate(), [drift], 100);
    expect(r.finite).toBe(true);
    expect([r.lo, r.hi].every((t) => t >= -1 && t <= 1)).toBe(true);
    expect(Math.max(...r.rates.map(near))).toBeLessThanOrEqual(0.2);
  });

  it('a fast drift (0.9 to 0.1 in 200 batches): every 50-batch window within ±20 %', () => {
    const fast: Segment = {
      batches: 600,
      size: () => 128,
      score: (b, u) => Math.min(1, Math.max(0, 0.9 - 0.8 * Math.min(1, b / 200) + 0.2 * (u() - 0.5))),
    };
    expect(Math.max(...feed(gate(), [fast], 50).rates.map(near))).toBeLessThanOrEqual(0.2);
  });

  it('batch size 1: every window of 2,000 samples within ±20 %', () => {
    const r = feed(gate(), [uniform(40_000, 1)], 2000);
    expect(r.finite).toBe(true);
    expect(r.lo).toBeGreaterThanOrEqual(-1);
    expect(r.hi).toBeLessThanOrEqual(1);
    expect(Math.max(...r.rates.map(near))).toBeLessThanOrEqual(0.2);
  });

  it('a short last batch every epoch (7 × 128 + 3), and batch sizes drawn from 1 to 256', () => {
    const shortLast: Segment = { batches: 2400, size: (b) => (b % 8 === 7 ? 3 : 128), score: (_b, u) => u() };
    expect(Math.max(...feed(gate(), [shortLast], 200).rates.map(near))).toBeLessThanOrEqual(0.2);
    let x = 7;
    const sizes: Segment = {
      batches: 2000,
      size: () => 1 + ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 256),
      score: (_b, u) => u(),
    };
    expect(Math.max(...feed(gate(), [sizes], 200).rates.map(near))).toBeLessThanOrEqual(0.2);
  });

  it('scores collapsed to one constant (any value, ±∞ included): ties in random order hold the target', () => {
    for (const c of [0.7, 0, 1, 42, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]) {
      const r = feed(gate(), [uniform(100), constant(600, c), uniform(300)], 100);
      expect(r.finite).toBe(true);
      expect([r.lo, r.hi].every((t) => t >= -1 && t <= 1)).toBe(true);
      expect(Math.max(...r.rates.map(near)), `constant ${c}`).toBeLessThanOrEqual(0.05);
    }
  });

  it('NaN and infinite scores: 30 % NaN and 5 % +∞ still hold the target; 40 % +∞ holds it too; an all-NaN stretch (nothing can pass) recovers', () => {
    const mixed: Segment = {
      batches: 1000,
      size: () => 128,
      score: (_b, u) => {
        const x = u();
        return x < 0.3 ? Number.NaN : x < 0.35 ? Number.POSITIVE_INFINITY : u();
      },
    };
    expect(Math.max(...feed(gate(), [mixed], 100).rates.map(near))).toBeLessThanOrEqual(0.2);
    const allNaN = constant(300, Number.NaN);
    const manyInf: Segment = {
      batches: 300,
      size: () => 128,
      score: (_b, u) => (u() < 0.4 ? Number.POSITIVE_INFINITY : u()),
    };
    for (const disturbance of [allNaN, manyInf]) {
      const r = feed(gate(), [uniform(200), disturbance, uniform(20), uniform(300)], 100);
      expect(r.finite).toBe(true);
      expect([r.lo, r.hi].every((t) => t >= -1 && t <= 1)).toBe(true);
      expect(near(r.rates.at(-1)!)).toBeLessThanOrEqual(0.2);
    }
    expect(Math.max(...feed(gate(), [manyInf], 100).rates.map(near))).toBeLessThanOrEqual(0.05);
  });

  it('property: any sequence of disturbances, batch sizes 1–256 → θ in [−1, 1], finite stats, back to the target', () => {
    const segment = fc.record({
      kind: fc.constantFrom('uniform', 'constant', 'drift', 'nan', 'inf', 'negative-inf', 'above-one'),
      batches: fc.integer({ min: 1, max: 150 }),
      size: fc.integer({ min: 1, max: 256 }),
      level: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    const toSegment = (s: { kind: string; batches: number; size: number; level: number }): Segment => ({
      batches: s.batches,
      size: () => s.size,
      score: (b, u) => {
        switch (s.kind) {
          case 'uniform':
            return u();
          case 'constant':
            return s.level;
          case 'drift':
            return Math.min(1, Math.max(0, s.level + (b / s.batches - 0.5) * 0.8 + 0.1 * (u() - 0.5)));
          case 'nan':
            return u() < s.level ? Number.NaN : u();
          case 'inf':
            return u() < s.level / 4 ? Number.POSITIVE_INFINITY : u();
          case 'negative-inf':
            return u() < s.level ? Number.NEGATIVE_INFINITY : u();
          default:
            return 1 + 10 * u(); // scores above the threshold's range
        }
      },
    });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.nat(1000), (segments, seed) => {
        const g = new SundewGate({ targetActivationRate: TARGET, seed });
        const r = feed(g, [...segments.map(toSegment), uniform(100), uniform(200)], 1, seed);
        expect(r.finite).toBe(true);
        expect(r.lo).toBeGreaterThanOrEqual(-1);
        expect(r.hi).toBeLessThanOrEqual(1);
        const last = r.rates.slice(-200);
        expect(near(last.reduce((a, b) => a + b, 0) / last.length)).toBeLessThanOrEqual(0.2);
      }),
      { seed: 20261125, numRuns: 40 },
    );
  });

  it('the original script and library gates, and the raw-score Sundew gate, stay in their range through the same disturbances', () => {
    const disturbances = [
      constant(100, Number.NaN),
      constant(100, Number.POSITIVE_INFINITY),
      constant(100, 0),
      uniform(200, 1),
      { batches: 100, size: (b: number) => (b % 2 ? 3 : 128), score: (_b: number, u: () => number) => u() },
    ];
    for (const [make, range] of [
      [() => new ScriptGate({ ...SCRIPT_CONFIG_DEFAULTS, seed: 5 }), [0, 1]],
      [() => new ScriptGate({ ...SCRIPT_TRAINER_CONFIG, seed: 5 }), [0, 1]],
      [() => new LibraryGate({ activationThreshold: 0.7 }), [0.5, 10]],
      [() => new SundewGate({ scoreSpace: 'raw', seed: 5 }), [0, 1]],
    ] as const) {
      const r = feed(make(), disturbances, 50);
      expect(r.finite).toBe(true);
      expect(r.lo).toBeGreaterThanOrEqual(range[0]);
      expect(r.hi).toBeLessThanOrEqual(range[1]);
    }
  });
});

describe('TopKGate robustness', () => {
  it('keeps the exact long-run rate with batch size 1, short last batches and NaN scores', () => {
    const g = new TopKGate({ rate: TARGET });
    const r = feed(
      g,
      [
        uniform(1000, 1),
        {
          batches: 800,
          size: (b) => (b % 8 === 7 ? 3 : 128),
          score: (_b, u) => (u() < 0.3 ? Number.NaN : u()),
        },
      ],
      1800,
    );
    expect(r.rates[0]).toBeCloseTo(TARGET, 3);
  });
});
