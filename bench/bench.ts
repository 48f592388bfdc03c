// Sundew's benchmark harness (issue 7): everything it compares is measured in
// this one run, on this machine; each backend configuration runs in a fresh
// process. Writes bench/results/bench.json and bench.txt and prints the tables.
// Run: npm run bench  [-- --quick]
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fx, pct, runChild } from './lib.js';
import type { MethodResult } from './method-speed.js';
import type { StepResult } from './step-throughput.js';
import type { AccuracyResult } from './time-to-accuracy.js';

const quick = process.argv.includes('--quick');
const q = quick ? ['--quick'] : [];
const started = performance.now();
const out: string[] = [];
const say = (line = '') => {
  out.push(line);
  console.log(line);
};

console.error('step throughput …');
const configs: [string, number][] = [
  ['wasm', 1],
  ['wasm', 2],
  ['cpu', 1],
];
const steps: StepResult[] = [];
for (const [backend, threads] of configs) {
  steps.push(
    await runChild<StepResult>('./step-throughput.ts', [
      '--backend',
      backend,
      '--threads',
      String(threads),
      ...q,
    ]),
  );
}
say(
  "Step throughput (train step = forward + backward + gradient clipping; GFLOP/s from the model's FLOP count)",
);
say(
  'backend  threads  preset     batch  forward s  train s  train GFLOP/s  matmul peak  of peak  k    RSS MiB',
);
for (const s of steps) {
  for (const r of s.rows) {
    say(
      `${r.backend.padEnd(8)} ${String(r.threads).padStart(7)}  ${r.preset.padEnd(10)} ${String(r.batch).padStart(5)}${r.microBatch < r.batch ? '*' : ' '} ${fx(r.forwardSeconds, 3).padStart(9)} ${fx(r.trainStepSeconds, 3).padStart(8)} ${fx(r.trainGflops).padStart(14)} ${fx(s.peakGflops, 1).padStart(12)} ${pct(r.shareOfPeak).padStart(8)} ${fx(r.k, 1).padStart(4)} ${fx(r.rssMiB, 0).padStart(8)}`,
    );
  }
}
say(
  'matmul peak: best plain matmul (256², 512², 1024²) of the same configuration, measured in the same process; * = micro-batches of 32',
);

console.error('method speed …');
const methods: MethodResult[] = [];
for (const threads of [1, 2])
  methods.push(await runChild<MethodResult>('./method-speed.ts', ['--threads', String(threads), ...q]));
for (const m of methods) {
  say();
  say(
    `Method speed: one epoch of the bundled Fashion-MNIST (6,000 images), tiny ViT, WASM with ${m.threads} thread(s); k = ${fx(m.k)} measured in these epochs`,
  );
  say(
    'method                                          target  rate    s/epoch  speed-up  bound   of bound  overhead  val acc',
  );
  for (const r of m.rows) {
    say(
      `${r.method.padEnd(47)} ${(r.target === undefined ? '' : pct(r.target)).padStart(6)} ${pct(r.rate).padStart(6)} ${fx(r.epochSeconds, 1).padStart(8)} ${fx(r.speedup).padStart(9)} ${fx(r.bound).padStart(6)} ${pct(r.shareOfBound).padStart(9)} ${pct(r.overheadShare).padStart(9)} ${pct(r.valAccuracy).padStart(8)}`,
    );
  }
}
say(
  "bounds: fresh scoring forward k/(1 + k·r); stale losses 1/r. overhead: scorer + gate + gathering + recording, as a share of the training steps' seconds",
);

console.error('time to accuracy …');
const budget = quick ? 30 : 60;
const accuracy = await runChild<AccuracyResult>('./time-to-accuracy.ts', [
  '--threads',
  '1',
  '--target',
  '0.7',
  '--budget',
  String(budget),
]);
say();
say(
  `Time to ${pct(accuracy.target)} validation accuracy (bundled data, tiny ViT, WASM 1 thread, the default recipe at its target rate of ${pct(accuracy.recipe['targetRate'] as number)}, checked at epoch ends, cosine schedule over a ${budget} s budget)`,
);
say('method                                                   seconds  epochs run  final acc');
for (const r of accuracy.rows) {
  say(
    `${r.method.padEnd(56)} ${(r.seconds === null ? `> ${budget}` : r.seconds.toFixed(1)).padStart(7)} ${String(r.epochs).padStart(11)} ${pct(r.finalAccuracy).padStart(10)}`,
  );
}
const seconds = (performance.now() - started) / 1000;
const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model.trim(),
    cores: cpus().length,
    node: process.version,
    platform: process.platform,
  },
  quick,
  steps,
  methods,
  timeToAccuracy: accuracy,
  seconds,
};
if (!quick) {
  await writeFile(new URL('./results/bench.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(new URL('./results/bench.txt', import.meta.url), `${out.join('\n')}\n`);
}
console.log(
  `\nbench finished in ${seconds.toFixed(0)} s${quick ? ' (quick: results not written)' : '; wrote bench/results/bench.json and bench.txt'}`,
);
