/**
 * A few composable checks for JSON values, enough to validate a metrics file
 * (Sundew needs no schema library for that: zod was 93 % of this package's
 * install). A check returns the value it accepted (objects keep only their
 * known keys) or throws a `CheckError` naming the path and what was expected.
 */
export type Check<T> = (value: unknown, path: readonly (string | number)[]) => T;

/** What a check rejected: the path into the value and what it must be. */
export class CheckError extends Error {
  override readonly name = 'CheckError';
  constructor(
    readonly path: readonly (string | number)[],
    readonly expected: string,
    readonly received: unknown,
  ) {
    super(`expected ${expected}, received ${describe(received)}`);
  }
}

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
};

const fail = (path: readonly (string | number)[], expected: string, value: unknown): never => {
  throw new CheckError(path, expected, value);
};

/** A finite number within optional bounds (`gt`: strictly greater). */
export const number =
  (bounds: { min?: number; gt?: number; max?: number; int?: boolean } = {}): Check<number> =>
  (value, path) => {
    const limits = [
      bounds.min !== undefined ? `≥ ${bounds.min}` : '',
      bounds.gt !== undefined ? `> ${bounds.gt}` : '',
      bounds.max !== undefined ? `≤ ${bounds.max}` : '',
    ].filter(Boolean);
    const what = `${bounds.int ? 'an integer' : 'a number'}${limits.length > 0 ? ` ${limits.join(' and ')}` : ''}`;
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail(path, what, value);
    if (bounds.int && !Number.isInteger(value)) return fail(path, what, value);
    if (bounds.min !== undefined && value < bounds.min) return fail(path, what, value);
    if (bounds.gt !== undefined && value <= bounds.gt) return fail(path, what, value);
    if (bounds.max !== undefined && value > bounds.max) return fail(path, what, value);
    return value;
  };

/** A string (non-empty when `minLength` is 1). */
export const string =
  (minLength = 0): Check<string> =>
  (value, path) =>
    typeof value === 'string' && value.length >= minLength
      ? value
      : fail(path, minLength > 0 ? 'a non-empty string' : 'a string', value);

export const boolean: Check<boolean> = (value, path) =>
  typeof value === 'boolean' ? value : fail(path, 'true or false', value);

/** One of a few literal strings. */
export const oneOf =
  <const T extends string>(...values: T[]): Check<T> =>
  (value, path) =>
    values.includes(value as T) ? (value as T) : fail(path, values.map((v) => `"${v}"`).join(' or '), value);

/** `null`, or what `check` accepts. */
export const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (value, path) =>
    value === null ? null : check(value, path);

/** Absent (undefined), or what `check` accepts. */
export const optional = <T>(check: Check<T>): Check<T | undefined> & { optional: true } =>
  Object.assign(
    (value: unknown, path: readonly (string | number)[]) =>
      value === undefined ? undefined : check(value, path),
    { optional: true as const },
  );

export const array =
  <T>(item: Check<T>): Check<T[]> =>
  (value, path) =>
    Array.isArray(value) ? value.map((v, i) => item(v, [...path, i])) : fail(path, 'an array', value);

type Shape = Record<string, Check<unknown>>;
type Optional<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
/** The value an object check accepts: optional fields may be absent. */
export type ObjectOf<S extends Shape> = {
  [K in Exclude<keyof S, Optional<S>>]: ReturnType<S[K]>;
} & { [K in Optional<S>]?: Exclude<ReturnType<S[K]>, undefined> };

/** An object with these fields (unknown keys are dropped, absent optional ones stay absent). */
export const object =
  <S extends Shape>(shape: S): Check<ObjectOf<S>> =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(path, 'an object', value);
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const field = check((value as Record<string, unknown>)[key], [...path, key]);
      if (field !== undefined) out[key] = field;
    }
    return out as ObjectOf<S>;
  };

/** Any JSON object (checked to be an object, its contents kept as they are). */
export const jsonObject: Check<Record<string, unknown>> = (value, path) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fail(path, 'an object', value);
