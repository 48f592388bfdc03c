/** "12.3%" from a 0–1 rate; "n/a" when missing. */
export const percent = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(digits)}%`;

/** Seconds with a sensible precision. */
export const seconds = (s: number): string =>
  s >= 100 ? `${s.toFixed(0)} s` : s >= 10 ? `${s.toFixed(1)} s` : `${s.toFixed(2)} s`;

/** "3.41×". */
export const times = (x: number): string => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;

/** Finite values only. */
export const finite = (xs: readonly (number | null | undefined)[]): number[] =>
  xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
