// The page's training session run in Node: the same TrainingSession (the
// same step engine, scorers, gate and model code) on the same bundled data,
// on tfjs-backend-wasm with the same number of threads. Prints one JSON line.
//
// Run: npx tsx scripts/node-reference.ts '{"model":"micro","budgetValue":2,"limitTrain":768}' [threads] [--stepwise]
// With --stepwise it trains one epoch of every run per "epoch" line on stdin
// (answering "epoch done" on stderr), so a caller can interleave it with the page.
import { createInterface } from 'node:readline';
import { loadFashionMnist } from '@sundew/data';
import { selectBackend } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';
import { checkRunConfig } from '../src/run/config.js';
import { TrainingSession } from '../src/run/session.js';

const raw = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const threads = Number(process.argv[3] ?? 1);
const backend = await selectBackend('wasm', { threads });
const train = await loadFashionMnist({ split: 'train', source: 'bundled' });
const test = await loadFashionMnist({ split: 'test', source: 'bundled' });
const config = checkRunConfig(raw);
const session = new TrainingSession(
  config,
  { train, test },
  { backend: backend.name, threads: backend.threads, runtime: `node ${process.version}` },
);
const tensors: Record<string, number[]> = {};
/** Epochs every run has ended. */
const epochsDone = () => Math.min(...config.runs.map((r) => tensors[r]?.length ?? 0));
/** Step until every run has ended one more epoch (or all are done). */
const trainEpoch = () => {
  const target = epochsDone() + 1;
  while (session.running && epochsDone() < target) {
    for (const event of session.step()) {
      if (event.type === 'epoch') (tensors[event.run] ??= []).push(event.tensors);
    }
  }
};
if (process.argv.includes('--stepwise')) {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() !== 'epoch') continue;
    trainEpoch();
    process.stderr.write(`epoch done${session.running ? '' : ', finished'}\n`);
    if (!session.running) break;
  }
} else {
  while (session.running) trainEpoch();
}
const metrics = session.metrics();
session.dispose();
console.log(
  JSON.stringify({
    backend: backend.name,
    threads: backend.threads,
    metrics,
    tensors,
    after: tf.memory().numTensors,
  }),
);
// The threaded backend's pthread workers keep Node alive.
process.exit(0);
