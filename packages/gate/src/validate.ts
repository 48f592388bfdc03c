import { GateConfigError } from './errors.js';

const show = (v: unknown): string => (typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

/** Reject keys that the gate does not know (typos would otherwise be silently ignored). */
export function checkKnownKeys(gate: string, config: object, known: readonly string[]): void {
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      throw new GateConfigError(key, `${gate}: unknown option "${key}"; known options: ${known.join(', ')}`);
    }
  }
}

/** A finite number in a range; `open` ends exclude the bound. */
export function checkNumber(
  gate: string,
  field: string,
  value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean },
): number {
  const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false } = range;
  const lo = min === -Infinity ? '(-∞' : `${minOpen ? '(' : '['}${min}`;
  const hi = max === Infinity ? '∞)' : `${max}${maxOpen ? ')' : ']'}`;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minOpen ? value > min : value >= min) &&
    (maxOpen ? value < max : value <= max);
  if (!ok) {
    throw new GateConfigError(
      field,
      `${gate}: ${field} must be a finite number in ${lo}, ${hi}; received ${show(value)}`,
    );
  }
  return value as number;
}

/** A [min, max] pair of finite numbers with min ≤ max, both in a range. */
export function checkInterval(
  gate: string,
  field: string,
  value: unknown,
  range: { min: number; max: number },
): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new GateConfigError(field, `${gate}: ${field} must be a pair [min, max]; received ${show(value)}`);
  }
  const lo = checkNumber(gate, `${field}[0]`, value[0], range);
  const hi = checkNumber(gate, `${field}[1]`, value[1], range);
  if (lo > hi) {
    throw new GateConfigError(field, `${gate}: ${field} must have min ≤ max; received [${lo}, ${hi}]`);
  }
  return [lo, hi];
}

/** An integer seed. */
export function checkSeed(gate: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GateConfigError('seed', `${gate}: seed must be an integer; received ${show(value)}`);
  }
  return value;
}
