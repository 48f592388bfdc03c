import type { RunMetrics } from '@sundew/types';
import { METRICS_SCHEMA } from '@sundew/types';
import {
  array,
  boolean,
  type Check,
  CheckError,
  jsonObject,
  nullable,
  number,
  object,
  oneOf,
  optional,
  string,
} from './check.js';

/** A metrics file that cannot be read: not JSON, another format, or a field of the wrong type. */
export class MetricsFormatError extends Error {
  override readonly name = 'MetricsFormatError';
  constructor(
    message: string,
    /** The file (or `<text>`) that was read. */
    readonly source: string,
  ) {
    super(message);
  }
}

// JSON has no NaN: the writer stores NaN as null and the reader turns null back into NaN.
const num: Check<number> = (value, path) => nullable(number())(value, path) ?? Number.NaN;
const count = number({ int: true, min: 0 });

const batch = object({
  epoch: count,
  batch: count,
  batchSize: count,
  activated: count,
  threshold: num,
  loss: num,
  energyConsumed: num,
  energyBaseline: num,
  stepSeconds: num,
});

const epoch = object({
  epoch: count,
  trainLoss: num,
  valLoss: nullable(number()),
  valAccuracy: nullable(number({ min: 0, max: 1 })),
  valBalancedAccuracy: optional(nullable(number({ min: 0, max: 1 }))),
  activationRate: num,
  energySavedPercent: num,
  samplesProcessed: count,
  samplesSkipped: count,
  samplesScored: optional(count),
  epochSeconds: num,
  validationSeconds: num,
  elapsedSeconds: num,
  partial: optional(boolean),
  batches: count,
  phaseSeconds: optional(object({ scoring: num, selection: num, training: num, bookkeeping: num })),
});

const mode = oneOf('sparse', 'full', 'sample');

const runMetrics = object({
  schema: oneOf(METRICS_SCHEMA),
  run: object({
    label: string(1),
    mode,
    startedAt: string(),
    finishedAt: optional(string()),
    config: jsonObject,
    targetActivationRate: optional(number({ gt: 0, max: 1 })),
    batchesPerEpoch: optional(count),
    trainSamples: optional(count),
  }),
  environment: object({
    backend: string(),
    threads: optional(count),
    node: string(),
    platform: string(),
    arch: string(),
    cores: count,
    cpuModel: optional(string()),
    tfjsVersion: optional(string()),
    sundewVersion: optional(string()),
  }),
  epochs: array(epoch),
  batches: array(batch),
  baselines: array(
    object({
      mode,
      epochSeconds: number({ gt: 0 }),
      measuredBatches: optional(count),
      batchesPerEpoch: optional(count),
      source: optional(string()),
    }),
  ),
  notes: array(string()),
});

/** Validate a parsed JSON value as `RunMetrics`; throws `MetricsFormatError` naming the first bad field. */
export function validateRunMetrics(value: unknown, source = '<value>'): RunMetrics {
  let issue: CheckError;
  try {
    return runMetrics(value, []) as RunMetrics;
  } catch (error) {
    if (!(error instanceof CheckError)) throw error;
    issue = error;
  }
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  if (issue.path[0] === 'schema' || (issue.path.length === 0 && issue.expected === 'an object')) {
    throw new MetricsFormatError(
      `${source}: not a Sundew metrics file: field "schema" must be "${METRICS_SCHEMA}"`,
      source,
    );
  }
  throw new MetricsFormatError(`${source}: field "${where}": ${issue.message}`, source);
}

/** Parse the text of a `metrics.json` file. */
export function parseRunMetrics(text: string, source = '<text>'): RunMetrics {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MetricsFormatError(
      `${source}: not valid JSON (${(error as Error).message}); expected a Sundew metrics file`,
      source,
    );
  }
  return validateRunMetrics(value, source);
}
