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
export type { ApplyOptions, FlopCount, Model } from './model.js';
export type {
  LossForward,
  LossModel,
  SampleBatch,
  SampleDataset,
  SampleValues,
} from './samples.js';
export type { ScorerNeeds, ScoringBatch, SignificanceScorer } from './significance.js';
