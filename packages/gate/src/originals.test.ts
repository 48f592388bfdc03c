// The original gates against independent transcriptions of the Python
// sources, written line by line here (not sharing code with the gates):
// the library's SundewAlgorithm.select_samples (adaptive_sparse_training
// 1.0.1) and the standalone script's process_batch + update_threshold.
import { describe, expect, it } from 'vitest';
import {
  createGate,
  GateConfigError,
  LIBRARY_DEFAULTS,
  LibraryGate,
  SCRIPT_CONFIG_DEFAULTS,
  SCRIPT_TRAINER_CONFIG,
  ScriptGate,
} from './index.js';
import { GateRandom } from './rng.js';

/** select_samples, transcribed. `significance` is the score the gate receives. */
function transcribedLibrary(config: {
  target: number;
  threshold: number;
  kp: number;
  ki: number;
  alpha: number;
}) {
  let activation_threshold = config.threshold;
  let integral_error = 0.0;
  let activation_rate_ema = config.target;
  return (significance: number[]): { mask: boolean[]; threshold: number } => {
    const batch_size = significance.length;
    // significance is a float32 tensor: torch casts the Python float θ to float32 to compare.
    let active_mask = significance.map((s) => s > Math.fround(activation_threshold));
    let num_active = active_mask.filter(Boolean).length;
    const min_active = Math.max(2, Math.trunc(batch_size * 0.1));
    if (num_active < min_active) {
      // torch.topk(significance, min_active): the largest values (distinct on these streams).
      const top = significance
        .map((s, i) => [s, i] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, min_active)
        .map(([, i]) => i);
      active_mask = significance.map(() => false);
      for (const i of top) active_mask[i] = true;
      num_active = min_active;
    }
    const current_activation_rate = num_active / batch_size;
    activation_rate_ema = config.alpha * current_activation_rate + (1 - config.alpha) * activation_rate_ema;
    const error = activation_rate_ema - config.target;
    const proportional = config.kp * error;
    if (0.5 < activation_threshold && activation_threshold < 10.0) {
      integral_error += error;
      integral_error = Math.max(-100, Math.min(100, integral_error));
    } else {
      integral_error *= 0.9;
    }
    const new_threshold = activation_threshold + proportional + config.ki * integral_error;
    activation_threshold = Math.max(0.5, Math.min(10.0, new_threshold));
    return { mask: active_mask, threshold: activation_threshold };
  };
}

/** process_batch + update_threshold, transcribed, drawing from `random` in the script's order. */
function transcribedScript(
  c: {
    activation_threshold: number;
    target_activation_rate: number;
    gate_temperature: number;
    max_energy: number;
    dormancy_regen: [number, number];
    adapt_kp: number;
    adapt_ki: number;
  },
  random: () => number,
) {
  let threshold = c.activation_threshold;
  let energy = c.max_energy;
  let integral_error = 0.0;
  let total_processed = 0;
  let total_activated = 0;
  let activation_rate_ema = c.target_activation_rate;
  const threshold_ema_alpha = 0.3;
  return (significance_scores: number[]): { mask: boolean[]; threshold: number; energy: number } => {
    const gate_decisions: boolean[] = [];
    for (const significance of significance_scores) {
      let activated = false;
      if (significance > threshold) {
        const gate_prob = 1.0 / (1.0 + Math.exp(-(significance - threshold) / c.gate_temperature));
        if (random() < gate_prob && energy > 10.0) {
          energy -= 10.0;
          activated = true;
        }
      }
      const regen = c.dormancy_regen[0] + (c.dormancy_regen[1] - c.dormancy_regen[0]) * random();
      energy = Math.min(c.max_energy, energy + regen);
      gate_decisions.push(activated);
    }
    total_processed += significance_scores.length;
    total_activated += gate_decisions.filter(Boolean).length;
    // update_threshold
    const activation_rate = total_activated / total_processed;
    activation_rate_ema =
      threshold_ema_alpha * activation_rate + (1 - threshold_ema_alpha) * activation_rate_ema;
    const error = activation_rate_ema - c.target_activation_rate;
    const proportional = c.adapt_kp * error;
    const new_threshold = threshold + proportional + c.adapt_ki * integral_error;
    if (0.01 < new_threshold && new_threshold < 0.99) {
      integral_error += error;
      integral_error = Math.max(-50, Math.min(50, integral_error));
    } else {
      integral_error *= 0.9;
    }
    threshold = Math.max(0.0, Math.min(1.0, new_threshold));
    return { mask: gate_decisions, threshold, energy };
  };
}

/** Random score streams (float32, as the gates receive them), batch sizes 1–256 with many full batches. */
function* randomStream(seed: number, batches: number, draw: (u: () => number) => number) {
  const r = new GateRandom(seed);
  const u = () => r.next();
  for (let b = 0; b < batches; b++) {
    const size = u() < 0.7 ? 128 : 1 + Math.floor(u() * 256);
    yield Float32Array.from({ length: size }, () => draw(u));
  }
}

const asBool = (m: Uint8Array) => [...m].map((x) => x === 1);

describe('LibraryGate = select_samples of adaptive_sparse_training 1.0.1', () => {
  it('has the library defaults', () => {
    expect(LIBRARY_DEFAULTS).toMatchObject({
      targetActivationRate: 0.4,
      activationThreshold: 3.0,
      adaptKp: 0.005,
      adaptKi: 0.0001,
      emaAlpha: 0.1,
    });
    const gate = createGate('sundew-library');
    expect(gate).toBeInstanceOf(LibraryGate);
    expect(gate.targetActivationRate).toBe(0.4);
  });

  // Streams on the library's own scale (0.7·CE + 0.3·entropy with 10 classes: about 0–5), and
  // gains large enough that θ crosses its clamps and the anti-windup band.
  const cases = [
    {
      name: 'library defaults, loss-like scores',
      fallback: true,
      config: {},
      draw: (u: () => number) => -Math.log(1 - u()) * 1.6 + 0.4 * u(),
    },
    {
      name: 'kp 2, ki 0.5, target 0.1',
      fallback: true,
      config: { adaptKp: 2, adaptKi: 0.5, targetActivationRate: 0.1 },
      draw: (u: () => number) => 12 * u() ** 2,
    },
    {
      name: 'kp 20, target 0.7, θ₀ 0.5',
      fallback: false,
      config: { adaptKp: 20, targetActivationRate: 0.7, activationThreshold: 0.5 },
      draw: (u: () => number) => 4 * u(),
    },
  ];
  it.each(cases)('every mask and threshold equal on a random stream: $name', ({ config, draw, fallback }) => {
    const c = { ...LIBRARY_DEFAULTS, ...config };
    const gate = new LibraryGate(config);
    const original = transcribedLibrary({
      target: c.targetActivationRate,
      threshold: c.activationThreshold,
      kp: c.adaptKp,
      ki: c.adaptKi,
      alpha: c.emaAlpha,
    });
    let fallbacks = 0;
    let clamped = 0;
    for (const scores of randomStream(11, 600, draw)) {
      if (scores.length < 2) continue; // torch.topk(·, 2) of one sample raises in the original
      const want = original([...scores]);
      const mask = gate.decide(scores);
      expect(asBool(mask)).toEqual(want.mask);
      expect(gate.stats().threshold).toBe(want.threshold);
      if (want.mask.filter(Boolean).length === Math.max(2, Math.trunc(scores.length * 0.1))) fallbacks++;
      if (want.threshold === 0.5 || want.threshold === 10) clamped++;
    }
    // The streams exercise the fallback, and (with the larger gains) the clamps.
    if (fallback) expect(fallbacks).toBeGreaterThan(0);
    if ('adaptKp' in config) expect(clamped).toBeGreaterThan(0);
  });

  it('differs where the original cannot decide, as documented: a batch of one, NaN scores', () => {
    const gate = new LibraryGate();
    expect([...gate.decide(Float32Array.of(0.1))]).toEqual([1]);
    expect([...gate.decide(Float32Array.from([Number.NaN, 1, Number.NaN, 2]))]).toEqual([0, 1, 0, 1]);
  });

  it('rejects bad options by name', () => {
    expect(() => new LibraryGate({ activationThreshold: 0.2 })).toThrow(
      /activationThreshold must be a finite number in \[0\.5, 10\]/,
    );
    expect(() => new LibraryGate({ seed: 1 } as never)).toThrow(GateConfigError);
  });
});

describe('ScriptGate = process_batch + update_threshold of the standalone script', () => {
  const toScript = (c: typeof SCRIPT_CONFIG_DEFAULTS) => ({
    activation_threshold: c.activationThreshold,
    target_activation_rate: c.targetActivationRate,
    gate_temperature: c.gateTemperature,
    max_energy: c.maxEnergy,
    dormancy_regen: c.dormancyRegen,
    adapt_kp: c.adaptKp,
    adapt_ki: c.adaptKi,
  });

  it.each([
    ['the SundewConfig defaults (sundew-reference)', SCRIPT_CONFIG_DEFAULTS, 'sundew-reference'],
    ['the script trainer (sundew-script)', SCRIPT_TRAINER_CONFIG, 'sundew-script'],
  ] as const)(
    'every mask, threshold and energy level equal on a random stream, given the same draws: %s',
    (_n, config, name) => {
      const seed = 21;
      const gate = createGate(name, { seed });
      expect(gate).toBeInstanceOf(ScriptGate);
      const draws = new GateRandom(seed);
      const original = transcribedScript(toScript(config), () => draws.next());
      for (const scores of randomStream(5, 400, (u) => (u() < 0.02 ? Number.NaN : u()))) {
        const want = original([...scores]);
        expect(asBool(gate.decide(scores))).toEqual(want.mask);
        const s = gate.stats() as unknown as { threshold: number; energyLevel: number };
        expect(s.threshold).toBe(want.threshold);
        expect(s.energyLevel).toBe(want.energy);
      }
    },
  );

  it('has the script defaults and its trainer overrides', () => {
    expect(SCRIPT_CONFIG_DEFAULTS).toMatchObject({
      activationThreshold: 0.7,
      targetActivationRate: 0.06,
      adaptKp: 0.15,
      adaptKi: 0.01,
    });
    expect(SCRIPT_TRAINER_CONFIG).toMatchObject({
      activationThreshold: 0.5,
      targetActivationRate: 0.1,
      adaptKp: 0.0015,
      adaptKi: 0.00005,
    });
  });
});
