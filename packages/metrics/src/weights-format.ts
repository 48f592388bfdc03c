import { createHash } from 'node:crypto';

/** A weights or checkpoint file that is not one, or is damaged. */
export class WeightsFormatError extends Error {
  override readonly name = 'WeightsFormatError';
}

/** First bytes of a Sundew weights file. */
export const WEIGHTS_MAGIC = 'SUNDEWWT';

/** Bytes of the SHA-256 trailer that seals a version-2 file. */
const TRAILER = 32;

/** What `encodeWeights` reads from a tensor: a `tf.Tensor` is one; so is `{ shape, dataSync: () => values }`. */
export interface TensorValues {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

/** One decoded tensor, as plain float32 values (no tensor library needed). */
export interface DecodedTensor {
  shape: number[];
  values: Float32Array;
}

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  offset: number;
  length: number;
}

interface Header {
  format: 'sundew-weights';
  version: 1 | 2;
  model: string;
  /** Version 1 only: SHA-256 of the body (the header itself was not covered). */
  sha256?: string;
  /** Free JSON a caller stores beside the tensors (checkpoints keep their state here). */
  extra?: unknown;
  tensors: TensorEntry[];
}

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/**
 * Encode named tensors (format version 2): 8 magic bytes `SUNDEWWT`, a uint32
 * LE header length, a UTF-8 JSON header (names, shapes, byte offsets, `extra`),
 * the body of float32 little-endian values, then the SHA-256 of every byte
 * before it, so a change anywhere (header included) is detected. Shared by the
 * ViT's weights files and the trainer's checkpoints.
 */
export function encodeWeights(weights: Map<string, TensorValues>, model = '', extra?: unknown): Buffer {
  const tensors: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of weights) {
    const data = Float32Array.from(t.dataSync());
    const bytes = new Uint8Array(data.buffer);
    tensors.push({ name, shape: [...t.shape], dtype: 'float32', offset, length: bytes.length });
    chunks.push(bytes);
    offset += bytes.length;
  }
  const header: Header = {
    format: 'sundew-weights',
    version: 2,
    model,
    tensors,
    ...(extra !== undefined ? { extra } : {}),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const sealed = Buffer.concat([Buffer.from(WEIGHTS_MAGIC, 'latin1'), len, json, ...chunks]);
  return Buffer.concat([sealed, sha256(sealed)]);
}

/** The JSON header between byte 12 and `end`, or null when it is not a readable header. */
function readHeader(buf: Buffer, end: number): Header | null {
  const len = buf.readUInt32LE(8);
  if (12 + len > end) return null;
  try {
    const header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as Header | null;
    return header?.format === 'sundew-weights' ? header : null;
  } catch {
    return null;
  }
}

/** Every entry must be well formed and fit the body: checked before any value is copied. */
function checkEntries(tensors: unknown, bodyLength: number, source: string): TensorEntry[] {
  if (!Array.isArray(tensors)) throw new WeightsFormatError(`${source}: the header lists no tensors`);
  const names = new Set<string>();
  tensors.forEach((t: Partial<TensorEntry> | null, i) => {
    const shape = Array.isArray(t?.shape) ? t.shape : null;
    const size = shape?.every((d) => Number.isSafeInteger(d) && d >= 0)
      ? shape.reduce((a, b) => a * b, 1)
      : Number.NaN;
    const ok =
      typeof t?.name === 'string' &&
      !names.has(t.name) &&
      t.dtype === 'float32' &&
      Number.isSafeInteger(t.offset) &&
      t.offset! >= 0 &&
      t.length === size * 4 &&
      t.offset! + t.length <= bodyLength;
    if (!ok) {
      throw new WeightsFormatError(
        `${source}: tensor entry ${i} (${JSON.stringify(t?.name)}) is malformed, repeated or does not fit the body`,
      );
    }
    names.add(t!.name!);
  });
  return tensors as TensorEntry[];
}

/**
 * Decode a weights file into named float32 arrays. Reads version 2 (sealed by
 * a trailing SHA-256) and version 1 (body checksum only). Any damage throws
 * `WeightsFormatError`; nothing is returned unless every entry is valid.
 */
export function decodeWeightValues(
  bytes: Uint8Array,
  source = '<bytes>',
): { model: string; values: Map<string, DecodedTensor>; extra: unknown } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== WEIGHTS_MAGIC) {
    throw new WeightsFormatError(
      `${source}: not a Sundew weights file (expected the magic "${WEIGHTS_MAGIC}")`,
    );
  }
  const corrupt = () =>
    new WeightsFormatError(`${source}: checksum mismatch: the file is truncated or corrupt`);
  const sealed =
    buf.length >= 12 + TRAILER &&
    sha256(buf.subarray(0, buf.length - TRAILER)).equals(buf.subarray(buf.length - TRAILER));
  const end = sealed ? buf.length - TRAILER : buf.length;
  const header = readHeader(buf, end);
  if (!sealed && header?.version !== 1) throw corrupt();
  if (!header || (header.version !== 1 && header.version !== 2)) {
    throw new WeightsFormatError(`${source}: unsupported header (expected format sundew-weights, version 2)`);
  }
  const body = buf.subarray(12 + buf.readUInt32LE(8), end);
  if (header.version === 1 && sha256(body).toString('hex') !== header.sha256) throw corrupt();
  const entries = checkEntries(header.tensors, body.length, source);
  const values = new Map<string, DecodedTensor>();
  for (const t of entries) {
    const data = new Float32Array(
      body.buffer.slice(body.byteOffset + t.offset, body.byteOffset + t.offset + t.length),
    );
    values.set(t.name, { shape: t.shape, values: data });
  }
  return { model: typeof header.model === 'string' ? header.model : '', values, extra: header.extra };
}
