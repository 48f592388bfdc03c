// Writes the README's performance section from bench/results/bench.json
// (between the <!-- bench:start --> and <!-- bench:end --> markers).
// Run: npx tsx bench/readme-section.ts
import { readFile, writeFile } from 'node:fs/promises';

interface Bench {
  date: string;
  machine: { cpu?: string; cores: number; node: string };
  matmulPeakGflops: Record<string, number>;
  steps: {
    backend: string;
    preset: string;
    batch: number;
    microBatch: number;
    forwardSeconds: number;
    trainStepSeconds: number;
    trainGflops: number;
    shareOfPeak: number;
    k: number;
  }[];
  methods: {
    method: string;
    rate: number | null;
    epochSeconds: number;
    speedup: number | null;
    bound: number | null;
    shareOfBound: number | null;
    valAccuracy: number | null;
  }[];
  timeToAccuracy?: {
    target: number;
    budgetSeconds: number;
    rows: { method: string; seconds: number | null; epochs: number; finalAccuracy: number | null }[];
  };
  seconds: number;
}

const bench = JSON.parse(await readFile(new URL('./results/bench.json', import.meta.url), 'utf8')) as Bench;
const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
const f = (x: number | null, d = 2) => (x === null ? '–' : x.toFixed(d));
const lines = [
  `Measured by \`npm run bench\` on ${bench.date.slice(0, 10)} (${bench.machine.cores} cores, ${bench.machine.cpu ?? 'unknown CPU'}, Node ${bench.machine.node}; ${bench.seconds.toFixed(0)} s). Matmul peak measured in the same run: ${Object.entries(
    bench.matmulPeakGflops,
  )
    .map(([b, g]) => `${b} ${g.toFixed(1)} GFLOP/s`)
    .join(', ')}.`,
  '',
  '| backend | preset | batch | forward s | train step s | train GFLOP/s | of matmul peak | k = step / forward |',
  '|---|---|---|---|---|---|---|---|',
  ...bench.steps.map(
    (r) =>
      `| ${r.backend} | ${r.preset} | ${r.batch}${r.microBatch < r.batch ? ` (micro ${r.microBatch})` : ''} | ${f(r.forwardSeconds, 3)} | ${f(r.trainStepSeconds, 3)} | ${f(r.trainGflops)} | ${pct(r.shareOfPeak)} | ${f(r.k, 1)} |`,
  ),
  '',
  "One epoch of the bundled subset, tiny ViT, WASM, same initial weights; sparse rows at gate targets 6 %, 10 % and 25 %, in that order (the gate's energy store caps the rate near 20 %); bounds from the cost model with k measured above (fresh scoring forward: k/(1 + k·r); stale losses: 1/r). Timings are single epochs on a shared 2-core machine: expect ±20 % noise.",
  '',
  '| method | activation | s / epoch | speed-up vs full | bound | of bound | val acc after 1 epoch |',
  '|---|---|---|---|---|---|---|',
  ...bench.methods.map(
    (r) =>
      `| ${r.method} | ${pct(r.rate)} | ${f(r.epochSeconds, 1)} | ${f(r.speedup)}× | ${r.bound === null ? '–' : `${f(r.bound)}×`} | ${pct(r.shareOfBound)} | ${pct(r.valAccuracy)} |`,
  ),
];
if (bench.timeToAccuracy) {
  const t = bench.timeToAccuracy;
  lines.push(
    '',
    `Time to ${pct(t.target)} validation accuracy on the bundled subset (tiny ViT, target rate 10 %, accuracy checked at epoch ends, cosine schedule over a ${t.budgetSeconds} s budget):`,
    '',
    '| method | training seconds to reach it | epochs run | accuracy at the end of the budget |',
    '|---|---|---|---|',
    ...t.rows.map(
      (r) =>
        `| ${r.method} | ${r.seconds === null ? `not reached in ${t.budgetSeconds} s` : f(r.seconds, 1)} | ${r.epochs} | ${pct(r.finalAccuracy)} |`,
    ),
  );
}
const readmePath = new URL('../README.md', import.meta.url);
const readme = await readFile(readmePath, 'utf8');
const start = readme.indexOf('<!-- bench:start -->');
const end = readme.indexOf('<!-- bench:end -->');
if (start < 0 || end < 0)
  throw new Error('README.md: the <!-- bench:start --> / <!-- bench:end --> markers are missing');
await writeFile(
  readmePath,
  `${readme.slice(0, start)}<!-- bench:start -->\n${lines.join('\n')}\n${readme.slice(end)}`,
);
console.log('README performance section updated');
