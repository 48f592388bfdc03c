import { access, readFile } from 'node:fs/promises';
import { DatasetError } from './errors.js';

/** Read a dataset file, turning "not there" into a `DatasetError` that says what to do. */
export async function readDatasetFile(path: string, hint: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DatasetError('missing-file', `${path}: file not found; ${hint}`, path);
    }
    throw new DatasetError(
      'missing-file',
      `${path}: cannot be read (${code ?? (error as Error).message})`,
      path,
    );
  }
}

/** The first of `candidates` that exists (e.g. `x.gz` or `x`), else the first. */
export async function firstExisting(candidates: string[]): Promise<string> {
  for (const path of candidates) {
    try {
      await access(path);
      return path;
    } catch {}
  }
  return candidates[0]!;
}
