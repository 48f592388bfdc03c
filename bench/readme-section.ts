// Writes the README's performance section from bench/results/bench.json
// (between the <!-- bench:start --> and <!-- bench:end --> markers).
// Run: npx tsx bench/readme-section.ts
import { readFile, writeFile } from 'node:fs/promises';
import type { MethodResult } from './method-speed.js';
import type { StepResult } from './step-throughput.js';
import type { AccuracyResult } from './time-to-accuracy.js';

interface Bench {
  date: string;
  machine: { cpu?: string; cores: number; node: string };
  steps: StepResult[];
  methods: MethodResult[];
  timeToAccuracy: AccuracyResult;
  seconds: number;
}

const bench = JSON.parse(await readFile(new URL('./results/bench.json', import.meta.url), 'utf8')) as Bench;
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)} %`;
const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '–' : x.toFixed(d));
const threadsLabel = (n: number) => (n === 1 ? '1 thread' : `${n} threads`);
const lines = [
  `Measured by \`npm run bench\` on ${bench.date.slice(0, 10)} (${bench.machine.cores} cores, ${bench.machine.cpu ?? 'unknown CPU'}, Node ${bench.machine.node}; ${bench.seconds.toFixed(0)} s); every configuration in its own process, its matmul peak (the best of plain 256², 512² and 1024² matmuls) measured there.`,
  '',
  '| backend | preset | batch | forward s | train step s | train GFLOP/s | matmul peak GFLOP/s | of peak | k = step / forward |',
  '|---|---|---|---|---|---|---|---|---|',
  ...bench.steps.flatMap((s) =>
    s.rows.map(
      (r) =>
        `| ${r.backend}${r.backend === 'wasm' ? `, ${threadsLabel(r.threads)}` : ''} | ${r.preset} | ${r.batch}${r.microBatch < r.batch ? ` (micro ${r.microBatch})` : ''} | ${f(r.forwardSeconds, 3)} | ${f(r.trainStepSeconds, 3)} | ${f(r.trainGflops)} | ${f(s.peakGflops, 1)} | ${pct(r.shareOfPeak)} | ${f(r.k, 1)} |`,
    ),
  ),
];
for (const m of bench.methods) {
  lines.push(
    '',
    `One epoch of the bundled subset per method, tiny ViT, WASM with ${threadsLabel(m.threads)}, same initial weights; bounds from the cost model with k = ${f(m.k)} measured in these epochs (full training's step seconds / the fresh scorer's forward seconds over the same 47 batches): fresh scoring forward k/(1 + k·r), stale losses 1/r. *Overhead*: scorer, gate, gathering and recording as a share of the training steps' seconds. Single epochs on a shared machine: expect ±10 % noise.`,
    '',
    '| method | gate target | activation | s / epoch | speed-up vs full | bound | of bound | overhead | val acc after 1 epoch |',
    '|---|---|---|---|---|---|---|---|---|',
    ...m.rows.map(
      (r) =>
        `| ${r.method} | ${r.target === undefined ? '–' : pct(r.target)} | ${pct(r.rate)} | ${f(r.epochSeconds, 1)} | ${f(r.speedup)}× | ${r.bound === null ? '–' : `${f(r.bound)}×`} | ${pct(r.shareOfBound)} | ${pct(r.overheadShare)} | ${pct(r.valAccuracy)} |`,
    ),
  );
}
const t = bench.timeToAccuracy;
lines.push(
  '',
  `Time to ${pct(t.target)} validation accuracy on the bundled subset (tiny ViT, WASM ${threadsLabel(t.threads)}, the default recipe of \`sundew train\` at its target rate of ${pct(t.recipe['targetRate'] as number)}, accuracy checked at epoch ends, cosine schedule over a ${t.budgetSeconds} s budget):`,
  '',
  '| method | training seconds to reach it | epochs run | accuracy at the end of the budget |',
  '|---|---|---|---|',
  ...t.rows.map(
    (r) =>
      `| ${r.method} | ${r.seconds === null ? `not reached in ${t.budgetSeconds} s` : f(r.seconds, 1)} | ${r.epochs} | ${pct(r.finalAccuracy)} |`,
  ),
);
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
