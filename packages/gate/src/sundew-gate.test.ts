import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  energyForRate,
  GateConfigError,
  GateStateError,
  SUNDEW_REFERENCE_CONFIG,
  SUNDEW_SCRIPT_CONFIG,
  SundewGate,
  type SundewGateConfig,
} from './index.js';
import { describeGate } from './testing/describe-gate.js';
import {
  measureActivation,
  type ScoreDistribution,
  scoreDistributions,
  scoreStream,
} from './testing/score-streams.js';

describe('energyForRate', () => {
  it('is the reference store up to 10 % and sustains twice the target above', () => {
    expect(energyForRate(0.06).dormancyRegen).toEqual([1, 3]);
    expect(energyForRate(0.1).dormancyRegen).toEqual([1, 3]);
    expect(energyForRate(0.3).dormancyRegen).toEqual([3, 9]);
    expect(energyForRate(0.5, 20).dormancyRegen).toEqual([10, 30]);
  });

  it.each([0.3, 0.5, 0.7])(
    'lets the gate hold a target of %s that the reference store caps near 20 %%',
    (target) => {
      const capped = measureActivation(new SundewGate({ targetActivationRate: target, seed: 1 }), 'uniform', {
        seed: 2,
        from: 200,
        to: 400,
      });
      expect(capped.rate).toBeLessThan(0.22);
      const sized = measureActivation(
        new SundewGate({ targetActivationRate: target, seed: 1, ...energyForRate(target) }),
        'uniform',
        { seed: 2, from: 200, to: 400 },
      );
      expect(Math.abs(sized.rate / target - 1)).toBeLessThan(0.05);
    },
  );
});

describeGate('SundewGate (defaults)', () => new SundewGate({ targetActivationRate: 0.1, seed: 1 }), {
  describe,
  it,
});
describeGate('SundewGate (library variant)', () => new SundewGate({ variant: 'library', seed: 1 }), {
  describe,
  it,
});
describeGate('SundewGate (script config)', () => new SundewGate({ ...SUNDEW_SCRIPT_CONFIG, seed: 3 }), {
  describe,
  it,
});

/** Rate over batches [from, to) and the threshold's range over the whole run. */
function runGate(gate: SundewGate, distribution: ScoreDistribution, seed: number, from = 200, to = 400) {
  const r = measureActivation(gate, distribution, { seed, from, to });
  return { rate: r.rate, lo: r.thresholdMin, hi: r.thresholdMax };
}

describe('SundewGate convergence with defaults', () => {
  const distributions = Object.keys(scoreDistributions) as ScoreDistribution[];

  it('holds targets 0.06, 0.10, 0.15 within ±20 % over batches 200–400 on any stationary stream', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...distributions),
        fc.constantFrom(0.06, 0.1, 0.15),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (distribution, target, gateSeed, streamSeed) => {
          const gate = new SundewGate({ targetActivationRate: target, seed: gateSeed });
          const { rate, lo, hi } = runGate(gate, distribution, streamSeed);
          expect(Math.abs(rate / target - 1)).toBeLessThanOrEqual(0.2);
          expect(lo).toBeGreaterThanOrEqual(0);
          expect(hi).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 40, seed: 20261124 },
    );
  });

  it('also holds any target in [0.03, 0.18] (below the energy store limit of 20 %)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...distributions),
        fc.double({ min: 0.03, max: 0.18, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (distribution, target, seed) => {
          const { rate } = runGate(
            new SundewGate({ targetActivationRate: target, seed }),
            distribution,
            seed + 1,
          );
          expect(Math.abs(rate / target - 1)).toBeLessThanOrEqual(0.2);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it('converges faster than the reference gains and cumulative rate', () => {
    // Over batches 20–60 the defaults are already near target; the reference is not.
    const err = (config: SundewGateConfig) =>
      Math.abs(
        runGate(new SundewGate({ ...config, targetActivationRate: 0.1, seed: 5 }), 'uniform', 9, 20, 60)
          .rate /
          0.1 -
          1,
      );
    expect(err({})).toBeLessThan(0.15);
    expect(err(SUNDEW_REFERENCE_CONFIG)).toBeGreaterThan(err({}));
  });

  it('is limited by the energy store: regen U(1, 3) per sample over a cost of 10 caps the rate near 20 %', () => {
    const gate = new SundewGate({ targetActivationRate: 0.5, seed: 2 });
    const ones = new Float32Array(128).fill(1);
    let active = 0;
    for (let b = 0; b < 300; b++) {
      const m = gate.decide(ones);
      if (b >= 100) active += m.reduce((n, x) => n + x, 0);
    }
    const rate = active / (200 * 128);
    expect(rate).toBeGreaterThan(0.17);
    expect(rate).toBeLessThan(0.21);
    expect(gate.stats().threshold).toBe(0);
  });
});

describe('SundewGate decisions and accounting', () => {
  it('books 10 per activation and 0.1 per skip against a baseline of 10 per sample', () => {
    const gate = new SundewGate({ targetActivationRate: 0.1, seed: 4 });
    let active = 0;
    let seen = 0;
    for (const s of scoreStream('uniform', { seed: 1, batches: 50, batchSize: 100 })) {
      active += gate.decide(s).reduce((n, m) => n + m, 0);
      seen += s.length;
    }
    const st = gate.stats();
    expect(st.energyConsumed).toBeCloseTo(10 * active + 0.1 * (seen - active), 6);
    expect(st.energyBaseline).toBe(10 * seen);
    expect(st.energyLevel).toBeLessThanOrEqual(100);
  });

  it('never activates a sample at or below the threshold, nor a NaN score', () => {
    const gate = new SundewGate({ activationThreshold: 0.6, seed: 1 });
    const scores = Float32Array.from([0.1, 0.6, Number.NaN, 0.59, Number.NaN]);
    expect([...gate.decide(scores)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps the controller finite through batches of NaN, then recovers to the target', () => {
    const gate = new SundewGate({ targetActivationRate: 0.1, seed: 1 });
    const nan = new Float32Array(128).fill(Number.NaN);
    for (let i = 0; i < 50; i++) gate.decide(nan);
    const s = gate.stats();
    expect(Number.isFinite(s.threshold)).toBe(true);
    expect(Number.isFinite(s.smoothedActivationRate)).toBe(true);
    const { rate } = runGate(gate, 'uniform', 3, 100, 300);
    expect(Math.abs(rate / 0.1 - 1)).toBeLessThan(0.2);
  });

  it('draws the same random stream whatever the scores (masks depend on seed and scores only)', () => {
    const a = new SundewGate({ seed: 11 });
    const b = new SundewGate({ seed: 11 });
    const c = new SundewGate({ seed: 12 });
    const s = Float32Array.from({ length: 256 }, (_, i) => (i % 10) / 10 + 0.05);
    const ma = a.decide(s);
    expect(b.decide(s)).toEqual(ma);
    expect(c.decide(s)).not.toEqual(ma);
  });

  it('library variant: deterministic threshold, clamped to [0.5, 10], top-k fallback', () => {
    const gate = new SundewGate({ variant: 'library', activationThreshold: 0.5, targetActivationRate: 0.1 });
    const scores = Float32Array.from({ length: 50 }, (_, i) => i / 100); // all below 0.5
    const mask = gate.decide(scores);
    // Nothing passes: the top max(2, 10 % of 50) = 5 samples train.
    expect([...mask.keys()].filter((i) => mask[i])).toEqual([45, 46, 47, 48, 49]);
    for (let i = 0; i < 200; i++) gate.decide(Float32Array.from({ length: 50 }, () => 20));
    expect(gate.stats().threshold).toBe(10);
  });
});

describe('SundewGate config validation', () => {
  const cases: [SundewGateConfig | Record<string, unknown>, RegExp][] = [
    [{ targetActivationRate: 0 }, /targetActivationRate must be a finite number in \(0, 1\]; received 0/],
    [{ targetActivationRate: 1.5 }, /targetActivationRate .* received 1\.5/],
    [{ targetActivationRate: Number.NaN }, /targetActivationRate .* received NaN/],
    [{ adaptKp: -0.1 }, /adaptKp must be a finite number in \[0, ∞\); received -0\.1/],
    [{ adaptKi: -1 }, /adaptKi/],
    [{ dormancyRegen: [3, 1] }, /dormancyRegen must have min ≤ max; received \[3, 1\]/],
    [{ gateTemperature: 0 }, /gateTemperature/],
    [{ activationThreshold: 2 }, /activationThreshold must be a finite number in \[0, 1\]/],
    [
      { variant: 'library', activationThreshold: 0.2 },
      /activationThreshold must be a finite number in \[0\.5, 10\]/,
    ],
    [{ seed: 1.5 }, /seed must be an integer/],
    [{ targetRate: 0.1 }, /unknown option "targetRate"/],
    [{ energyPressure: 0.4 }, /energyPressure is not supported/],
    [{ rateWindow: 'epoch' }, /rateWindow must be "batch" or "cumulative"/],
  ];
  it.each(cases)('rejects %j', (config, message) => {
    expect(() => new SundewGate(config as SundewGateConfig)).toThrow(GateConfigError);
    expect(() => new SundewGate(config as SundewGateConfig)).toThrow(message);
  });

  it('names the field on the error', () => {
    try {
      new SundewGate({ emaAlpha: 0 });
      expect.unreachable();
    } catch (e) {
      expect((e as GateConfigError).field).toBe('emaAlpha');
    }
  });

  it('refuses a state from another kind of gate or another config', () => {
    const gate = new SundewGate({ seed: 1 });
    expect(() => gate.restore({ kind: 'top-k' } as never)).toThrow(GateStateError);
    const other = new SundewGate({ seed: 2 }).state();
    expect(() => gate.restore(other)).toThrow(/another config/);
  });
});
