/** A scorer was called without an input it needs, or with arrays of the wrong length. */
export class ScoringInputError extends Error {
  override readonly name = 'ScoringInputError';
}

/** `createScorer` was asked for a name it does not know, or given a bad option. */
export class ScorerConfigError extends Error {
  override readonly name = 'ScorerConfigError';
}

/** A number option in [min, max]; throws `ScorerConfigError` naming it otherwise. */
export function checkOption(scorer: string, field: string, value: number, min: number, max: number): number {
  if (!(Number.isFinite(value) && value >= min && value <= max)) {
    throw new ScorerConfigError(
      `${scorer}: ${field} must be a finite number in [${min}, ${max}]; received ${value}`,
    );
  }
  return value;
}
