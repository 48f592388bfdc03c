import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { readRunMetrics } from '@sundew/metrics';
import fc from 'fast-check';
import { batchesDone, checkRunFolder, comparableMetrics, finalState } from './run-folder.js';

const CLI = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'sundew.js');

/** The training run every kill interrupts: small, checkpointing after every batch, every piece of state in use. */
export const KILL_RUN_ARGS = [
  'train',
  '--dataset',
  'synthetic',
  '--limit-train',
  '192',
  '--limit-test',
  '64',
  '--batch-size',
  '16',
  '--epochs',
  '3',
  '--scorer',
  'stale-loss-percentile',
  '--selection',
  'buffered',
  '--target-rate',
  '0.2',
  '--checkpoint-every',
  '1',
  '--seed',
  '7',
  '--backend',
  'wasm',
  '--progress',
  'none',
];

/** Options of `runKillResume`. */
export interface KillResumeOptions {
  /** SIGKILLs to deliver (then the run is let finish). */
  kills: number;
  /** Seed of the kill times. */
  seed?: number;
  /** Folder for the two runs (default: a fresh temp folder, removed afterwards). */
  workDir?: string;
  log?: (line: string) => void;
}

/** One process of the interrupted run. */
export interface Attempt {
  /** Milliseconds after training started that the kill was sent (null: let it finish). */
  killAfterMs: number | null;
  outcome: 'killed' | 'finished' | 'exited-before-kill';
  /** Batches of the run its newest checkpoint holds afterwards. */
  batchesDone: number;
  /** Checkpoint and metrics files on disk afterwards, each verified. */
  verified: string[];
  /** Temp files left by a write the kill interrupted. */
  temps: string[];
}

/** What the suite measured. */
export interface KillResumeReport {
  kills: number;
  /** Kills that landed while a checkpoint or metrics file was being written. */
  killsDuringWrite: number;
  attempts: Attempt[];
  /** Final weights, optimizer moments and trainer state bit-identical to the uninterrupted run's. */
  sameWeights: boolean;
  /** metrics.json identical apart from what a clock measured. */
  sameMetrics: boolean;
  /** Temp files left in the folder at the end (must be none). */
  leftoverTemps: string[];
  seconds: number;
}

interface Started {
  child: ChildProcess;
  /** Resolves when the CLI reports the model (training starts next). */
  training: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(out: string, resume: boolean): Started {
  const child = spawn(
    process.execPath,
    [CLI, ...KILL_RUN_ARGS, '--out', out, ...(resume ? ['--resume'] : [])],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  let markTraining: () => void = () => {};
  const training = new Promise<void>((resolve) => {
    markTraining = resolve;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (/^model: /m.test(stderr)) markTraining();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, training, exit };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The SIGKILL fault-injection suite: run `sundew train` once uninterrupted,
 * then again in another folder, SIGKILLed at `kills` seeded random points of
 * its training and resumed with `--resume` each time. After every kill every
 * checkpoint and metrics file on disk must verify; at the end the weights,
 * optimizer state and metrics must equal the uninterrupted run's.
 */
export async function runKillResume(options: KillResumeOptions): Promise<KillResumeReport> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const work = options.workDir ?? (await mkdtemp(join(tmpdir(), 'sundew-kill-')));
  const reference = join(work, 'uninterrupted');
  const killed = join(work, 'killed');
  try {
    const ref = start(reference, false);
    await ref.training;
    const trainStart = performance.now();
    const refExit = await ref.exit;
    if (refExit.code !== 0) throw new Error(`the uninterrupted run failed:\n${refExit.stderr}`);
    const trainMs = performance.now() - trainStart;
    log(`uninterrupted run: ${(trainMs / 1000).toFixed(1)} s of training`);

    // noBias: uniform draws, not fast-check's usual preference for the edges (0, 1).
    const fractions = fc
      .sample(fc.noBias(fc.integer({ min: 0, max: 1_000_000 })), {
        seed: options.seed ?? 1,
        numRuns: options.kills,
      })
      .map((n) => n / 1_000_000);
    const { run: shape, batches } = await readRunMetrics(join(reference, 'metrics.json'));
    const attempts: Attempt[] = [];
    for (let k = 0; k <= options.kills; k++) {
      // A random point of what is left to train (most of a resumed process's time is the rest of the run).
      const left = 1 - (await batchesDone(killed, shape.batchesPerEpoch!)) / batches.length;
      const killAfterMs = k < options.kills ? Math.round(fractions[k]! * 0.9 * left * trainMs) : null;
      const run = start(killed, k > 0);
      let outcome: Attempt['outcome'] = 'finished';
      if (killAfterMs !== null) {
        const exited = await Promise.race([run.training.then(() => false), run.exit.then(() => true)]);
        if (!exited) {
          await Promise.race([sleep(killAfterMs), run.exit]);
          outcome = run.child.kill('SIGKILL') ? 'killed' : 'exited-before-kill';
        }
      }
      const exit = await run.exit;
      if (outcome === 'killed' && exit.signal !== 'SIGKILL') outcome = 'exited-before-kill';
      if (outcome !== 'killed' && exit.code !== 0) {
        throw new Error(`attempt ${k + 1} failed (exit ${exit.code}):\n${exit.stderr}`);
      }
      const { verified, temps } = await checkRunFolder(killed);
      const done = await batchesDone(killed, shape.batchesPerEpoch!);
      attempts.push({ killAfterMs, outcome, batchesDone: done, verified, temps });
      log(
        `attempt ${k + 1}: ${outcome}${killAfterMs !== null ? ` ${killAfterMs} ms into training` : ''}, ` +
          `checkpoint at batch ${done}/${batches.length}; verified ${verified.join(', ') || 'nothing yet'}` +
          (temps.length ? `; interrupted write left ${temps.join(', ')}` : ''),
      );
    }
    const [a, b] = await Promise.all([finalState(reference), finalState(killed)]);
    const [ma, mb] = await Promise.all([comparableMetrics(reference), comparableMetrics(killed)]);
    const end = await checkRunFolder(killed);
    return {
      kills: attempts.filter((x) => x.outcome === 'killed').length,
      killsDuringWrite: attempts.filter((x) => x.outcome === 'killed' && x.temps.length > 0).length,
      attempts,
      sameWeights: isDeepStrictEqual(a, b),
      sameMetrics: isDeepStrictEqual(ma, mb),
      leftoverTemps: end.temps,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    if (!options.workDir) await rm(work, { recursive: true, force: true });
  }
}

/** `npm run test:kill [-- --kills N --seed S]`: the full suite, with a report. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { kills: { type: 'string' }, seed: { type: 'string' } } });
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  const report = await runKillResume({
    kills: Number(values.kills ?? 20),
    seed: Number(values.seed ?? 1),
    log: (line) => console.log(line),
  });
  const ok = report.sameWeights && report.sameMetrics && report.leftoverTemps.length === 0;
  console.log(
    `${report.kills} SIGKILLs (${report.killsDuringWrite} during a file write), ${report.attempts.length} processes, ` +
      `${report.seconds.toFixed(1)} s: final weights and optimizer state ${report.sameWeights ? 'equal' : 'DIFFER'}, ` +
      `metrics ${report.sameMetrics ? 'equal' : 'DIFFER'} (timings aside), every file on disk verified after every kill, ` +
      `${report.leftoverTemps.length} temp file(s) left`,
  );
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
