export { UsageError } from './errors.js';
export { flagOf, readConfigFile, resolveConfig } from './load-config.js';
export { type PlotOptions, parseFormats, plotCommand } from './plot-command.js';
export { type Recipe, recipeFor } from './presets.js';
export { buildProgram, type CliIo, main } from './program.js';
export { type BatchProgress, batchProgressOf, createProgress, type ProgressReporter } from './progress.js';
export { buildModel, loadData } from './setup.js';
export { ensureWritableDir, runTraining, type TrainingOutcome } from './train-command.js';
export { backendNames, type TrainConfig, type TrainConfigInput, trainConfigSchema } from './train-config.js';
