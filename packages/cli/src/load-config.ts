import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { UsageError } from './errors.js';

/** camelCase config key → its `--kebab-case` flag. */
export const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Read a `--config` JSON file: an object of camelCase keys. */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--config ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--config ${path}: expected a JSON object of options, e.g. {"epochs": 5}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Merge file options and flags (flags win) and validate them with one schema.
 * Errors name the flag, or the file and key, with what was expected and received.
 */
export function resolveConfig<S extends z.ZodType>(
  schema: S,
  fromFile: Record<string, unknown>,
  fromFlags: Record<string, unknown>,
  configPath?: string,
): z.output<S> {
  const merged = { ...fromFile, ...fromFlags };
  const result = schema.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? (issue as { keys?: string[] }).keys?.[0] ?? '');
  const where = key in fromFlags || !configPath ? flagOf(key) : `${configPath}: "${key}"`;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    throw new UsageError(
      `${configPath ?? 'config'}: unknown option${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  const received = key in merged ? `; received ${JSON.stringify(merged[key])}` : '';
  throw new UsageError(`${where}: ${issue.message}${received}`);
}
