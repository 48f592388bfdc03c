import { type Selection, select } from 'd3-selection';
import { figureDocument } from './document.js';
import { type FigureOptions, type Theme, themeOf } from './theme.js';

/** A root <svg> of the given size with a white background, detached from any page. */
export function createSvg(width: number, height: number, theme: Theme) {
  const doc = figureDocument();
  const container = doc.createElement('div');
  const svg = select(container)
    .append('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('font-family', theme.font)
    .attr('fill', theme.text);
  svg.append('rect').attr('width', width).attr('height', height).attr('fill', theme.background);
  return { svg, serialize: () => container.innerHTML };
}

/** d3 selection of an SVG group. */
export type Group = Selection<SVGGElement, unknown, null, undefined>;
/** d3 selection of the root SVG. */
export type Root = Selection<SVGSVGElement, unknown, null, undefined>;

/**
 * A figure's canvas: the theme with the user's overrides, the size (user's or
 * the figure's default) and the title centred on top.
 */
export function createFigure(
  options: FigureOptions,
  defaults: { width: number; height: number; title: string; titleY?: number },
) {
  const theme = themeOf(options);
  const width = options.width ?? defaults.width;
  const height = options.height ?? defaults.height;
  const { svg, serialize } = createSvg(width, height, theme);
  const title = options.title ?? defaults.title;
  // The accessible name of the figure (screen readers, image search).
  svg.insert('title', ':first-child').text(title);
  // A long title shrinks to fit the width (bold glyphs of the bundled font average ~0.62 em).
  const size = Math.min(defaults.titleY ? 26 : 24, (width - 40) / (0.62 * title.length));
  svg
    .append('text')
    .attr('class', 'figure-title')
    .attr('x', width / 2)
    .attr('y', defaults.titleY ?? 34)
    .attr('text-anchor', 'middle')
    .attr('font-size', +size.toFixed(1))
    .attr('font-weight', 'bold')
    .text(title);
  return { svg, serialize, theme, width, height };
}
