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
    // A byte-order mark (as some Windows editors save JSON) is not part of the JSON.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
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
    const known = schemaKeys(schema);
    const hints = keys
      .map((k) => [k, camelCase(k)] as const)
      .filter(([k, camel]) => camel !== k && known.includes(camel))
      .map(([k, camel]) => `"${camel}" for "${k}"`);
    throw new UsageError(
      `${configPath ?? 'config'}: unknown option${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}` +
        (hints.length > 0 ? `; keys are camelCase: write ${hints.join(', ')}` : ''),
    );
  }
  const received = key in merged ? `; received ${show(merged[key])}` : '';
  throw new UsageError(`${where}: ${describeIssue(issue)}${received}`);
}

type Issue = z.core.$ZodIssue;

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
};

/** What the value must be, in one short phrase (the value received is added by the caller). */
function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? 'must not be empty'
        : `must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      return `must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.join(', ')}`;
    default:
      return issue.message;
  }
}

/** A value as the user wrote it (JSON, but Infinity and NaN as themselves). */
const show = (value: unknown): string =>
  typeof value === 'number' && !Number.isFinite(value)
    ? String(value)
    : (JSON.stringify(value) ?? String(value));

const camelCase = (key: string): string =>
  key.replace(/^--/, '').replace(/[-_]([a-z])/g, (_, c) => c.toUpperCase());

const schemaKeys = (schema: z.ZodType): string[] => {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
};
