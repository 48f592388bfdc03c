import type { JsonObject } from '@sundew/types';
import type { Model } from '@sundew/types/model';

/** Model name and variable shapes, plus the options and data that change the meaning of a checkpoint. */
export function modelFingerprint(
  model: Pick<Model, 'name' | 'trainableVariables'>,
  extra: JsonObject,
): string {
  return JSON.stringify({
    model: model.name,
    variables: model.trainableVariables().map((v) => v.shape),
    ...extra,
  });
}

const parse = (fingerprint: string): Record<string, unknown> => {
  try {
    const value = JSON.parse(fingerprint);
    return typeof value === 'object' && value !== null ? value : { fingerprint };
  } catch {
    return { fingerprint };
  }
};

const show = (key: string, value: unknown): string => {
  if (key === 'variables' && Array.isArray(value)) {
    const parameters = value.reduce(
      (n: number, shape) => n + (Array.isArray(shape) ? shape.reduce((a: number, b: number) => a * b, 1) : 0),
      0,
    );
    return `${value.length} variables, ${parameters.toLocaleString('en')} parameters`;
  }
  return JSON.stringify(value) ?? 'absent';
};

/**
 * What differs between the fingerprint a checkpoint was written with and this
 * run's, one field at a time: `batchSize 32 in the checkpoint, 16 now`.
 */
export function describeFingerprintMismatch(found: string, expected: string): string {
  const a = parse(found);
  const b = parse(expected);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${show(k, a[k])} in the checkpoint, ${show(k, b[k])} now`)
    .join('; ');
}
