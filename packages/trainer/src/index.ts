export { AdamW, type AdamWOptions } from './adamw.js';
export { type Checkpoint, type CheckpointState, readCheckpoint, writeCheckpoint } from './checkpoint.js';
export { classifierLossModel } from './classifier-model.js';
export {
  StepEngine,
  type StepEngineOptions,
  type StepEngineState,
  type StepPosition,
  type StepReport,
} from './engine.js';
export { type EpochLoopSpec, runEpochs, type TrainResult } from './epoch-loop.js';
export { CheckpointError, NonFiniteLossError, TrainerConfigError } from './errors.js';
export { type FitCallback, FitCallbackList, type FitLogs } from './fit-callbacks.js';
export { type FitSparseOptions, fitSparse, type SparseHistory, type SparseOptions } from './fit-sparse.js';
export {
  type LayersLossModel,
  type LayersLossName,
  type LayersModelOptions,
  layersLossModel,
  outputKind,
  type PerSampleLossFn,
} from './layers-model.js';
export { perSampleCrossEntropy } from './loss.js';
export type { BatchEvent, TrainOptions } from './options.js';
export { type RunPosition, restoreRun, saveRun } from './run-checkpoint.js';
export { learningRateAt, type ScheduleOptions } from './schedule.js';
export { forwardLosses, forwardPass, inputStd, pixelStd, scoringBatch } from './scoring.js';
export { infoBatchWeights, SelectionBuffer, type SelectionMode } from './selection.js';
export { adamWStepOptimizer, type StepOptimizer, tfjsStepOptimizer } from './step-optimizer.js';
export { computeGradients, rowsTensor, type StepResult, type StepSamples } from './train-step.js';
export { train } from './trainer.js';
export { evaluate } from './validate.js';
