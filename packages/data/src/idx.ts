import { gunzipSync } from 'node:zlib';
import { DatasetError } from './errors.js';

/** A parsed IDX file: its dimensions and its unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Gunzip when the bytes start with the gzip magic (1f 8b); otherwise return them as they are. */
export function maybeGunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: 1 << 30 });
  } catch (error) {
    throw new DatasetError('truncated', `${file}: corrupt gzip data (${(error as Error).message})`, file);
  }
}

/**
 * Parse an IDX file of unsigned bytes (type 0x08), as MNIST and Fashion-MNIST
 * ship them, checking the header against `expectedRank` and the file size.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedRank: number): IdxArray {
  if (
    bytes.length < 4 ||
    bytes[0] !== 0 ||
    bytes[1] !== 0 ||
    bytes[2] !== 0x08 ||
    bytes[3] !== expectedRank
  ) {
    const got = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DatasetError(
      'bad-magic',
      `${file}: not an IDX file of unsigned bytes with ${expectedRank} dimension(s): magic is "${got}", expected "00 00 08 0${expectedRank}"`,
      file,
    );
  }
  const header = 4 + 4 * expectedRank;
  if (bytes.length < header) {
    throw new DatasetError(
      'truncated',
      `${file}: truncated IDX header (${bytes.length} bytes, need ${header})`,
      file,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: expectedRank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header < size) {
    throw new DatasetError(
      'truncated',
      `${file}: truncated: header declares ${dims.join('×')} = ${size} bytes of data, file has ${bytes.length - header}`,
      file,
    );
  }
  if (bytes.length - header > size) {
    throw new DatasetError(
      'size-mismatch',
      `${file}: ${bytes.length - header - size} bytes after the ${dims.join('×')} data the header declares`,
      file,
    );
  }
  return { dims, data: bytes.subarray(header, header + size) };
}
