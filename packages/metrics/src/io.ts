import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RunMetrics } from '@sundew/types';
import writeFileAtomic from 'write-file-atomic';
import { batchesToCsv, epochsToCsv } from './csv.js';
import { MetricsFormatError, parseRunMetrics } from './schema.js';

/** The files `writeRunMetrics` writes into a run folder. */
export const METRICS_FILES = { json: 'metrics.json', epochs: 'epochs.csv', batches: 'batches.csv' } as const;

/** `metrics` as the text of a metrics.json file (NaN stored as null). */
export function stringifyRunMetrics(metrics: RunMetrics): string {
  return `${JSON.stringify(metrics, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** A run's files could not be written (a full disk, a read-only folder); the message names the file and the reason. */
export class MetricsWriteError extends Error {
  override readonly name = 'MetricsWriteError';
  constructor(
    message: string,
    /** The file or folder that could not be written. */
    readonly path: string,
    /** The system error code, e.g. `ENOSPC`. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** write-file-atomic's temp files (`<file>.<number>`) of our three files. */
const STALE_TEMP = /^(metrics\.json|epochs\.csv|batches\.csv)\.\d+$/;

const writeError = (path: string, error: unknown): MetricsWriteError => {
  const e = error as NodeJS.ErrnoException;
  return new MetricsWriteError(
    `${path}: cannot write (${e.code ? e.message.split(',')[0] : String(error)})`,
    path,
    e.code,
  );
};

/**
 * Write `metrics.json`, `epochs.csv` and `batches.csv` into `dir`, each
 * atomically (temp file + rename), so a crash never leaves a half-written file.
 * An old `metrics.json` goes first and the new one is written last, so its
 * presence means the folder's files are complete and of one run. Temp files
 * a killed writer left (`metrics.json.<n>`…) are removed first. Failures
 * throw `MetricsWriteError`.
 */
export async function writeRunMetrics(dir: string, metrics: RunMetrics): Promise<string[]> {
  await mkdir(dir, { recursive: true }).catch((error) => {
    throw writeError(dir, error);
  });
  for (const name of await readdir(dir)) {
    if (STALE_TEMP.test(name)) await unlink(join(dir, name)).catch(() => {});
  }
  await unlink(join(dir, METRICS_FILES.json)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw writeError(join(dir, METRICS_FILES.json), error);
  });
  const files: [string, string][] = [
    [METRICS_FILES.epochs, epochsToCsv(metrics)],
    [METRICS_FILES.batches, batchesToCsv(metrics)],
    // JSON last: its presence means the run's files are complete.
    [METRICS_FILES.json, stringifyRunMetrics(metrics)],
  ];
  const paths: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeFileAtomic(path, text, { fsync: true }).catch((error) => {
      throw writeError(path, error);
    });
    paths.push(path);
  }
  return paths;
}

/**
 * Read and validate a metrics.json file — or a gzip-compressed one
 * (`metrics.json.gz`, as studies store them); throws `MetricsFormatError` for a
 * missing, unreadable or malformed file.
 */
export async function readRunMetrics(path: string): Promise<RunMetrics> {
  let text: string;
  try {
    const bytes = await readFile(path);
    // gzip's magic number: a compressed file reads as its content.
    text =
      bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MetricsFormatError(
      code === 'ENOENT'
        ? `${path}: no such file; expected a metrics.json written by \`sundew train\``
        : `${path}: cannot be read (${code ?? (error as Error).message})`,
      path,
    );
  }
  return parseRunMetrics(text, path);
}
