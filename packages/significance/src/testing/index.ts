export { describeScorer, makeScoringBatch } from './describe-scorer.js';
