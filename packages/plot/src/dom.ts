// The browser entry (`@sundew/plot/dom`): the same d3 figures drawn with the
// page's document, without jsdom or resvg; PNGs come from a canvas.
export * from './base.js';
export { mountFigure, svgToPngBlob } from './dom-png.js';
