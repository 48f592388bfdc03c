export { baselineFrom, withBaselines } from './baseline.js';
export { batchesToCsv, epochsToCsv } from './csv.js';
export { detectEnvironment } from './environment.js';
export {
  METRICS_FILES,
  MetricsWriteError,
  readRunMetrics,
  stringifyRunMetrics,
  writeRunMetrics,
} from './io.js';
export type { EpochEnd, MetricsRecorderOptions } from './recorder.js';
export { MetricsRecorder } from './recorder.js';
export { MetricsFormatError, parseRunMetrics, validateRunMetrics } from './schema.js';
export type { RunSummary } from './summary.js';
export { samplePasses, summarizeRun } from './summary.js';
export {
  type DecodedTensor,
  decodeWeightValues,
  encodeWeights,
  type TensorValues,
  WEIGHTS_MAGIC,
  WeightsFormatError,
} from './weights-format.js';
