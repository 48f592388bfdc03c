// Helpers shared by the benchmark scripts (bench/*.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median seconds of `reps` calls of f, after one warm-up call. */
export function time(f: () => void, reps: number): number {
  f();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
}

/** Best plain 2-D matmul throughput (GFLOP/s) over a few sizes: the backend's practical peak. */
export function matmulPeak(): number {
  let best = 0;
  for (const n of [256, 512, 1024]) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    const s = time(() => tf.tidy(() => void tf.matMul(a, b).dataSync()), 5);
    best = Math.max(best, (2 * n ** 3) / s / 1e9);
    tf.dispose([a, b]);
  }
  return best;
}

/** `--name value` from argv, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const RESULT = 'BENCH-RESULT ';

/** A child script's result: one line on stdout the parent picks up. */
export function emit(result: unknown): void {
  process.stdout.write(`${RESULT}${JSON.stringify(result)}\n`);
}

/**
 * Run a bench script in a fresh process (each backend configuration needs its
 * own: the threaded WASM build replaces the `wasm` backend) and return its result.
 * Its stderr (progress) passes through.
 */
export function runChild<T>(script: string, args: string[]): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || !line) {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}${line ? '' : ' and no result'}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT.length)) as T);
    });
  });
}

export const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`;
export const fx = (x: number | null | undefined, d = 2): string =>
  x === null || x === undefined ? '–' : x.toFixed(d);
