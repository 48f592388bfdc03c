export type { DataBatch, ImageDataset } from './dataset.js';
export type { Gate, GateStats } from './gate.js';
export type { JsonObject, JsonValue } from './json.js';
export type {
  BaselineTiming,
  BatchRecord,
  EpochRecord,
  PhaseSeconds,
  RunEnvironment,
  RunMetrics,
  TrainingMode,
} from './metrics.js';
export { METRICS_SCHEMA } from './metrics.js';
// `Model` needs @tensorflow/tfjs-core's types: it lives in the `@sundew/types/model` entry, so the
// rest of this package (gates, scorers, metrics) type-checks without tfjs installed.
export type { ApplyOptions, FlopCount } from './model-options.js';
export type { SampleBatch, SampleDataset, SampleValues } from './samples.js';
export type { ScorerNeeds, ScoringBatch, SignificanceScorer } from './significance.js';
export { type TestFramework, testFrameworkOf } from './test-framework.js';
