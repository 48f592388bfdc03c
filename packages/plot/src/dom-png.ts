import { figureDocument } from './document.js';

/** Show a figure in the page: `target`'s content becomes the figure's SVG element, which is returned. */
export function mountFigure(target: Element, svg: string): SVGSVGElement {
  target.innerHTML = svg;
  const root = target.querySelector('svg');
  if (!root) throw new Error(`mountFigure: the markup holds no <svg> element (starts "${svg.slice(0, 40)}")`);
  return root;
}

/**
 * Render an SVG string to a PNG `Blob` in a browser (drawn on a canvas, on
 * white); `scale` multiplies the SVG's size (2 = high-DPI).
 */
export async function svgToPngBlob(svg: string, options: { scale?: number } = {}): Promise<Blob> {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 8))
    throw new RangeError(`svgToPngBlob: scale must be in (0, 8]; received ${scale}`);
  const doc = figureDocument();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = doc.createElement('img');
    image.src = url;
    await image.decode();
    const canvas = doc.createElement('canvas');
    canvas.width = Math.round(image.naturalWidth * scale);
    canvas.height = Math.round(image.naturalHeight * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('svgToPngBlob: this browser gives no 2d canvas context');
    context.fillStyle = 'white';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('svgToPngBlob: the canvas gave no PNG'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
