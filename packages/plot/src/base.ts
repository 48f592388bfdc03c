// The figures without a document of their own: what both entries export.
export { architectureDiagram, headline } from './architecture.js';
export { accuracyBy, comparison, equalTime } from './comparison.js';
export { type DashboardOptions, trainingDashboard } from './dashboard.js';
export { FigureDocumentError, figureDocument, setFigureDocument } from './document.js';
export { downsampleMinMax, type Point, rollingMean } from './downsample.js';
export { type EqualBudgetOptions, type EqualBudgetRow, equalBudget } from './equal-budget.js';
export { datasetOf, nameOf, ROLE_NAMES, type RunRole, roleOf } from './roles.js';
export {
  accuracyAfter,
  accuracyBeside,
  completeEpochSeconds,
  type SpeedBar,
  type SpeedClaim,
  speedBars,
  speedClaim,
  speedupOver,
} from './speed.js';
export { defaultTheme, type FigureOptions, type Theme } from './theme.js';
export { thresholdAdaptation, thresholdRangeOf } from './threshold.js';
export {
  type AccuracyCurve,
  type AccuracyTarget,
  type TimeToAccuracyOptions,
  timeToAccuracy,
} from './time-to-accuracy.js';
