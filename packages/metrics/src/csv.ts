import type { BatchRecord, EpochRecord, RunMetrics } from '@sundew/types';

const EPOCH_COLUMNS: (keyof EpochRecord)[] = [
  'epoch',
  'trainLoss',
  'valLoss',
  'valAccuracy',
  'activationRate',
  'energySavedPercent',
  'samplesProcessed',
  'samplesSkipped',
  'epochSeconds',
  'validationSeconds',
  'elapsedSeconds',
  'batches',
  'partial',
];

const BATCH_COLUMNS: (keyof BatchRecord)[] = [
  'epoch',
  'batch',
  'batchSize',
  'activated',
  'threshold',
  'loss',
  'energyConsumed',
  'energyBaseline',
  'stepSeconds',
];

// Empty cells for null, NaN and absent values: what spreadsheets and pandas read as missing.
const cell = (v: unknown): string =>
  v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : String(v);

function table<T>(rows: readonly T[], columns: (keyof T)[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** The per-epoch records as CSV (header line first). */
export function epochsToCsv(metrics: RunMetrics): string {
  return table(metrics.epochs, EPOCH_COLUMNS);
}

/** The per-batch records as CSV (header line first). */
export function batchesToCsv(metrics: RunMetrics): string {
  return table(metrics.batches, BATCH_COLUMNS);
}
