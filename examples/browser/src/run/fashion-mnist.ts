// The bundled Fashion-MNIST subset as the page gets it: gzip-compressed IDX
// files served with the page, gunzipped by the browser (DecompressionStream).
import { FASHION_MNIST_CLASSES } from '@sundew/data/samples';
import type { ImageDataset } from '@sundew/types';

/** The class names, from the Node-free half of @sundew/data. */
export const CLASS_NAMES = FASHION_MNIST_CLASSES;

/** Thrown when a data file is missing or not the IDX it should be. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
}

/**
 * A data file's IDX bytes. A server may send the .gz with `Content-Encoding:
 * gzip` (Vite's dev server does), and then the browser has already
 * gunzipped it: only bytes that start with gzip's magic are gunzipped here.
 */
async function gunzip(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new DataFileError(`${url}: HTTP ${response.status}; the page's server must serve the bundled data`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Parse an IDX file of unsigned bytes with `rank` dimensions. */
export function parseIdx(
  bytes: Uint8Array,
  rank: number,
  file: string,
): { dims: number[]; data: Uint8Array } {
  if (
    bytes.length < 4 + 4 * rank ||
    bytes[0] !== 0 ||
    bytes[1] !== 0 ||
    bytes[2] !== 8 ||
    bytes[3] !== rank
  ) {
    throw new DataFileError(`${file}: not an IDX file of unsigned bytes with ${rank} dimension(s)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const header = 4 + 4 * rank;
  if (bytes.length - header !== size) {
    throw new DataFileError(
      `${file}: header declares ${dims.join('×')} bytes, file has ${bytes.length - header}`,
    );
  }
  return { dims, data: bytes.subarray(header) };
}

/** One split from the URLs of its two files. */
export async function fetchFashionMnist(
  split: 'train' | 'test',
  urls: { images: string; labels: string },
): Promise<ImageDataset> {
  const [imageBytes, labelBytes] = await Promise.all([gunzip(urls.images), gunzip(urls.labels)]);
  const images = parseIdx(imageBytes, 3, urls.images);
  const labels = parseIdx(labelBytes, 1, urls.labels);
  const [count, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new DataFileError(`${urls.labels}: ${labels.dims[0]} labels for ${count} images`);
  }
  return {
    name: `fashion-mnist/${split}`,
    images: images.data,
    labels: labels.data,
    count,
    shape: [height, width, 1],
    numClasses: CLASS_NAMES.length,
    classNames: CLASS_NAMES,
  };
}
