// The Node entry's side effect: figures draw in a shared jsdom document
// (d3's axes need a DOM, and Node has none). `@sundew/plot/dom` never imports it.
import { JSDOM } from 'jsdom';
import { setFigureDocument } from './document.js';

let dom: JSDOM | null = null;
setFigureDocument(() => {
  dom ??= new JSDOM('<!DOCTYPE html><html><body></body></html>');
  return dom.window.document;
});
