export { type BatchRelativeOptions, BatchRelativeScorer } from './batch-relative.js';
export { type ClassBalancedOptions, ClassBalancedScorer, type ClassBalancedState } from './class-balanced.js';
export { type CreateScorerOptions, createScorer, type ScorerName, scorerNames } from './create-scorer.js';
export { ScorerConfigError, ScoringInputError } from './errors.js';
export { GradientNormScorer } from './gradient-norm.js';
export { type LossEntropyOptions, LossEntropyScorer } from './loss-entropy.js';
export { fitLossMixture, highLossPosterior, type LossMixture } from './loss-mixture.js';
export {
  type LossPercentileOptions,
  LossPercentileScorer,
  type LossPercentileState,
} from './loss-percentile.js';
export { type NoiseAwareOptions, NoiseAwareScorer, type NoiseAwareState } from './noise-aware.js';
export { RandomScorer, type RandomScorerState } from './random.js';
export { type StaleLossOptions, StaleLossScorer, type StaleLossState } from './stale-loss.js';
