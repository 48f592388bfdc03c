import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { UsageError } from './errors.js';

/** Fail early (before any work) when an output folder cannot be made or written. */
export async function ensureWritableDir(dir: string, flag = '--out'): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `${flag} ${dir}: cannot write there (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
}
