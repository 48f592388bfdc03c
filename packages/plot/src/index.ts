// Node: figures draw in jsdom (the side effect below) and render to PNG with resvg.
import './jsdom-document.js';

export * from './base.js';
export { FONT_FILES, svgToPng } from './png.js';
export { type RenderFiguresOptions, type RenderFiguresResult, renderFigures } from './render-figures.js';
