// The step engine without the epoch loop, checkpoint files or Node APIs:
// what a browser worker imports (`@sundew/trainer/step`).
export { AdamW, type AdamWOptions } from '../adamw.js';
export { classifierLossModel } from '../classifier-model.js';
export {
  StepEngine,
  type StepEngineOptions,
  type StepEngineState,
  type StepPosition,
  type StepReport,
} from '../engine.js';
export {
  type LayersLossModel,
  type LayersLossName,
  type LayersModelOptions,
  layersLossModel,
  outputKind,
  type PerSampleLossFn,
} from '../layers-model.js';
export { perSampleCrossEntropy } from '../loss.js';
export { learningRateAt, type ScheduleOptions } from '../schedule.js';
export { forwardPass, inputStd, scoringBatch } from '../scoring.js';
export { infoBatchWeights, SelectionBuffer, type SelectionMode } from '../selection.js';
export { adamWStepOptimizer, type StepOptimizer, tfjsStepOptimizer } from '../step-optimizer.js';
export { computeGradients, rowsTensor, type StepResult, type StepSamples } from '../train-step.js';
export { evaluate } from '../validate.js';
