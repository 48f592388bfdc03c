export { describeGate } from './describe-gate.js';
export { type ScoreDistribution, scoreDistributions, scoreStream } from './score-streams.js';
