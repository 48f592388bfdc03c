// Everything of `@sundew/trainer/step` (no Node APIs), plus the epoch loop, checkpoint files and fitSparse.

export { type Checkpoint, type CheckpointState, readCheckpoint, writeCheckpoint } from './checkpoint.js';
export { type EpochLoopSpec, runEpochs, type TrainResult } from './epoch-loop.js';
export { CheckpointError, NonFiniteLossError, TrainerConfigError } from './errors.js';
export { type FitCallback, FitCallbackList, type FitLogs } from './fit-callbacks.js';
export { type FitSparseOptions, fitSparse, type SparseHistory, type SparseOptions } from './fit-sparse.js';
export type { BatchEvent, TrainOptions } from './options.js';
export { type RunPosition, restoreRun, saveRun } from './run-checkpoint.js';
export { forwardLosses, pixelStd } from './scoring.js';
export * from './step/index.js';
export { train } from './trainer.js';
