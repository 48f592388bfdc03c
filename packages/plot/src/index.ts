export { architectureDiagram, headline } from './architecture.js';
export { comparison } from './comparison.js';
export { trainingDashboard } from './dashboard.js';
export { downsampleMinMax, type Point, rollingMean } from './downsample.js';
export { FONT_FILES, svgToPng } from './png.js';
export { type RenderFiguresOptions, type RenderFiguresResult, renderFigures } from './render-figures.js';
export { completeEpochSeconds, type SpeedBar, speedBars, speedupOver } from './speed.js';
export { defaultTheme, type FigureOptions, type Theme } from './theme.js';
export { thresholdAdaptation } from './threshold.js';
