/** Where figures are drawn: the page's document in a browser, jsdom's in Node. */
let provider: (() => Document) | null = null;

/** Thrown when a figure is drawn with no document to draw in. */
export class FigureDocumentError extends Error {
  override readonly name = 'FigureDocumentError';
}

/**
 * Draw figures with this document from now on. `@sundew/plot` sets a jsdom
 * one; `@sundew/plot/dom` uses the page's `document` unless one is set here.
 */
export function setFigureDocument(document: Document | (() => Document)): void {
  provider = typeof document === 'function' ? document : () => document;
}

/** The document figures are drawn with. */
export function figureDocument(): Document {
  if (provider) return provider();
  const page = (globalThis as { document?: Document }).document;
  if (!page) {
    throw new FigureDocumentError(
      'no document to draw figures in: import from "@sundew/plot" in Node (it brings jsdom), ' +
        'or from "@sundew/plot/dom" in a page, or call setFigureDocument(document) first',
    );
  }
  return page;
}
