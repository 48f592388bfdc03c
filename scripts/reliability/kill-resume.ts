import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
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
export const killRunArgs = (epochs: number): string[] => [
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
  String(epochs),
  '--scorer',
  'stale-loss-guarded-balanced',
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
  /** Epochs of the run (12 batches each); default 3. Each kill costs it 1–4 batches of progress. */
  epochs?: number;
  /** Seed of the kill times. */
  seed?: number;
  /** Folder for the two runs (default: a fresh temp folder, removed afterwards). */
  workDir?: string;
  log?: (line: string) => void;
}

/** One process of the interrupted run. */
export interface Attempt {
  /**
   * `startup`: killed while starting, restoring or on its first batch;
   * `training`: after it wrote its first checkpoint. Null: let it finish.
   */
  phase: 'startup' | 'training' | null;
  /** Milliseconds after the start (startup) or after its first checkpoint (training) that the kill was sent. */
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

function start(args: string[], out: string, resume: boolean): Started {
  const child = spawn(process.execPath, [CLI, ...args, '--out', out, ...(resume ? ['--resume'] : [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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

const inode = (file: string): number | null => {
  try {
    return statSync(file).ino;
  } catch {
    return null;
  }
};

/** Resolves when `file` is replaced (a checkpoint write completed its rename). */
async function replaced(file: string, before: number | null): Promise<void> {
  while (inode(file) === before) await sleep(2);
}

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
  const args = killRunArgs(options.epochs ?? 3);
  try {
    const spawned = performance.now();
    const ref = start(args, reference, false);
    await ref.training;
    const trainStart = performance.now();
    const refExit = await ref.exit;
    if (refExit.code !== 0) throw new Error(`the uninterrupted run failed:\n${refExit.stderr}`);
    const startupMs = trainStart - spawned;
    const trainMs = performance.now() - trainStart;
    const { run: shape, batches } = await readRunMetrics(join(reference, 'metrics.json'));
    const perBatchMs = trainMs / batches.length;
    log(
      `uninterrupted run: ${(startupMs / 1000).toFixed(1)} s to start, ${(trainMs / 1000).toFixed(1)} s for ` +
        `${batches.length} batches (${perBatchMs.toFixed(0)} ms each, a checkpoint written after every one)`,
    );
    // noBias: uniform draws, not fast-check's usual preference for the edges (0, 1).
    const draws = fc
      .sample(fc.noBias(fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 4 }))), {
        seed: options.seed ?? 1,
        numRuns: options.kills,
      })
      .map(([u, p]) => ({ u: u / 1_000_000, phase: p === 0 ? ('startup' as const) : ('training' as const) }));
    const checkpoint = join(killed, 'checkpoint.bin');
    const attempts: Attempt[] = [];
    for (let k = 0; k <= options.kills; k++) {
      const draw = draws[k];
      const before = inode(checkpoint);
      const run = start(args, killed, k > 0);
      let outcome: Attempt['outcome'] = 'finished';
      let killAfterMs: number | null = null;
      if (draw) {
        // One kill in five while starting, restoring or on the first batch; the others at a random point of
        // the 3 batch times after the process's first new checkpoint (computing, or writing the next one).
        killAfterMs = Math.round(
          draw.u * (draw.phase === 'startup' ? startupMs + perBatchMs : 3 * perBatchMs),
        );
        if (draw.phase === 'training') await Promise.race([replaced(checkpoint, before), run.exit]);
        await Promise.race([sleep(killAfterMs), run.exit]);
        outcome = run.child.kill('SIGKILL') ? 'killed' : 'exited-before-kill';
      }
      const exit = await run.exit;
      if (outcome === 'killed' && exit.signal !== 'SIGKILL') outcome = 'exited-before-kill';
      if (outcome !== 'killed' && exit.code !== 0) {
        throw new Error(`attempt ${k + 1} failed (exit ${exit.code}):\n${exit.stderr}`);
      }
      const { verified, temps } = await checkRunFolder(killed);
      const done = await batchesDone(killed, shape.batchesPerEpoch!);
      attempts.push({ phase: draw?.phase ?? null, killAfterMs, outcome, batchesDone: done, verified, temps });
      log(
        `attempt ${k + 1}: ${outcome}${draw ? ` ${killAfterMs} ms ${draw.phase === 'startup' ? 'after start' : 'after its first checkpoint'}` : ''}, ` +
          `checkpoint at batch ${done}/${batches.length}; verified ${verified.join(', ') || 'nothing yet'}` +
          (temps.length ? `; the interrupted write left ${temps.join(', ')}` : ''),
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
  const { values } = parseArgs({
    options: { kills: { type: 'string' }, seed: { type: 'string' }, epochs: { type: 'string' } },
  });
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  const report = await runKillResume({
    kills: Number(values.kills ?? 20),
    epochs: Number(values.epochs ?? 6),
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
