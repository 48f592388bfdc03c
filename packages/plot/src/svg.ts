import * as d3 from 'd3';
import { JSDOM } from 'jsdom';
import type { Theme } from './theme.js';

let dom: JSDOM | null = null;

/** A shared jsdom document: d3's axes need a DOM, and Node has none. */
function document(): Document {
  dom ??= new JSDOM('<!DOCTYPE html><html><body></body></html>');
  return dom.window.document;
}

/** A root <svg> of the given size with a white background, detached from any page. */
export function createSvg(width: number, height: number, theme: Theme) {
  const doc = document();
  const container = doc.createElement('div');
  const svg = d3
    .select(container)
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
export type Group = d3.Selection<SVGGElement, unknown, null, undefined>;
/** d3 selection of the root SVG. */
export type Root = d3.Selection<SVGSVGElement, unknown, null, undefined>;
