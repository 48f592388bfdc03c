// (Every gate starts at threshold 0.7 so the controllers are compared from the same point.)
// Measures the Sundew gate's activation rate on stationary score streams:
// rate over batches 200–400 of 128 samples, per target and distribution, for
// Sundew's defaults and for the original configurations.
// Run: npm run build && node bench/gate-convergence.mjs
import { SUNDEW_REFERENCE_CONFIG, SUNDEW_SCRIPT_CONFIG, SundewGate } from '@sundew/gate';
import { measureActivation, scoreDistributions } from '@sundew/gate/testing';

const configs = { sundew: {}, reference: SUNDEW_REFERENCE_CONFIG, script: SUNDEW_SCRIPT_CONFIG };
const targets = [0.06, 0.1, 0.15];
const seeds = [1, 2, 3];

function measure(config, distribution, target, seed, from, to) {
  const gate = new SundewGate({ ...config, activationThreshold: 0.7, targetActivationRate: target, seed });
  const r = measureActivation(gate, distribution, { seed: seed + 100, from, to });
  return { rate: r.rate, lo: r.thresholdMin, hi: r.thresholdMax };
}

for (const [name, config] of Object.entries(configs)) {
  for (const [from, to] of [
    [200, 400],
    [20, 60],
  ]) {
    console.log(
      `\n${name}: activation rate over batches ${from}–${to} (mean of seeds ${seeds.join(', ')}; worst relative error; threshold range)`,
    );
    console.log(['distribution', ...targets.map((t) => `target ${t}`)].map((s) => s.padEnd(30)).join(''));
    for (const distribution of Object.keys(scoreDistributions)) {
      const cells = targets.map((target) => {
        const runs = seeds.map((seed) => measure(config, distribution, target, seed, from, to));
        const mean = runs.reduce((s, r) => s + r.rate, 0) / runs.length;
        const worst = Math.max(...runs.map((r) => Math.abs(r.rate / target - 1)));
        const lo = Math.min(...runs.map((r) => r.lo));
        const hi = Math.max(...runs.map((r) => r.hi));
        return `${(100 * mean).toFixed(2)}% ±${(100 * worst).toFixed(0)}% θ[${lo.toFixed(2)},${hi.toFixed(2)}]`;
      });
      console.log([distribution, ...cells].map((s) => s.padEnd(30)).join(''));
    }
  }
}
