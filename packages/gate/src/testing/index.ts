export { describeGate } from './describe-gate.js';
export {
  measureActivation,
  type ScoreDistribution,
  scoreDistributions,
  scoreStream,
} from './score-streams.js';
