import type { RunMetrics } from '@sundew/types';
import { METRICS_SCHEMA } from '@sundew/types';
import { z } from 'zod';

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
const num = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const count = z.number().int().nonnegative();
const jsonObject = z.record(z.string(), z.json());

const batch = z.object({
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

const epoch = z.object({
  epoch: count,
  trainLoss: num,
  valLoss: z.number().nullable(),
  valAccuracy: z.number().min(0).max(1).nullable(),
  activationRate: num,
  energySavedPercent: num,
  samplesProcessed: count,
  samplesSkipped: count,
  epochSeconds: num,
  validationSeconds: num,
  elapsedSeconds: num,
  partial: z.boolean().optional(),
  batches: count,
  phaseSeconds: z.object({ scoring: num, selection: num, training: num, bookkeeping: num }).optional(),
});

const mode = z.enum(['sparse', 'full', 'sample']);

const runMetrics = z.object({
  schema: z.literal(METRICS_SCHEMA),
  run: z.object({
    label: z.string().min(1),
    mode,
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    config: jsonObject,
    targetActivationRate: z.number().gt(0).max(1).optional(),
    batchesPerEpoch: count.optional(),
    trainSamples: count.optional(),
  }),
  environment: z.object({
    backend: z.string(),
    threads: count.optional(),
    node: z.string(),
    platform: z.string(),
    arch: z.string(),
    cores: count,
    cpuModel: z.string().optional(),
    tfjsVersion: z.string().optional(),
    sundewVersion: z.string().optional(),
  }),
  epochs: z.array(epoch),
  batches: z.array(batch),
  baselines: z.array(
    z.object({
      mode,
      epochSeconds: z.number().positive(),
      measuredBatches: count.optional(),
      batchesPerEpoch: count.optional(),
      source: z.string().optional(),
    }),
  ),
  notes: z.array(z.string()),
});

/** Validate a parsed JSON value as `RunMetrics`; throws `MetricsFormatError` naming the first bad field. */
export function validateRunMetrics(value: unknown, source = '<value>'): RunMetrics {
  const result = runMetrics.safeParse(value);
  if (result.success) return result.data as RunMetrics;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  if (issue.path[0] === 'schema') {
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
