import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Model } from '@sundew/types';
import * as tf from '@tensorflow/tfjs-core';
import writeFileAtomic from 'write-file-atomic';

/** A weights file that is not one, or is damaged. */
export class WeightsFormatError extends Error {
  override readonly name = 'WeightsFormatError';
}

/** First bytes of a Sundew weights file. */
export const WEIGHTS_MAGIC = 'SUNDEWWT';

interface Header {
  format: 'sundew-weights';
  version: 1;
  model: string;
  sha256: string;
  /** Free JSON a caller stores beside the tensors (checkpoints keep their state here). */
  extra?: unknown;
  tensors: { name: string; shape: number[]; dtype: 'float32'; offset: number; length: number }[];
}

/**
 * Encode named tensors: 8 magic bytes `SUNDEWWT`, a uint32 LE header length, a
 * UTF-8 JSON header (names, shapes, byte offsets, SHA-256 of the body), then the
 * body of float32 little-endian values.
 */
export function encodeWeights(weights: Map<string, tf.Tensor>, model = '', extra?: unknown): Buffer {
  const tensors: Header['tensors'] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of weights) {
    const data = Float32Array.from(t.dataSync());
    const bytes = new Uint8Array(data.buffer);
    tensors.push({ name, shape: [...t.shape], dtype: 'float32', offset, length: bytes.length });
    chunks.push(bytes);
    offset += bytes.length;
  }
  const body = Buffer.concat(chunks);
  const header: Header = {
    format: 'sundew-weights',
    version: 1,
    model,
    sha256: createHash('sha256').update(body).digest('hex'),
    tensors,
    ...(extra !== undefined ? { extra } : {}),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([Buffer.from(WEIGHTS_MAGIC, 'latin1'), len, json, body]);
}

/** Decode a weights file into named tensors (the caller disposes them). */
export function decodeWeights(
  bytes: Uint8Array,
  source = '<bytes>',
): { model: string; weights: Map<string, tf.Tensor>; extra: unknown } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== WEIGHTS_MAGIC) {
    throw new WeightsFormatError(
      `${source}: not a Sundew weights file (expected the magic "${WEIGHTS_MAGIC}")`,
    );
  }
  const len = buf.readUInt32LE(8);
  if (12 + len > buf.length) throw new WeightsFormatError(`${source}: truncated header`);
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as Header;
  } catch {
    throw new WeightsFormatError(`${source}: corrupt header (not JSON)`);
  }
  if (header?.format !== 'sundew-weights' || header.version !== 1 || !Array.isArray(header.tensors)) {
    throw new WeightsFormatError(`${source}: unsupported header (expected format sundew-weights, version 1)`);
  }
  const body = buf.subarray(12 + len);
  if (createHash('sha256').update(body).digest('hex') !== header.sha256) {
    throw new WeightsFormatError(`${source}: checksum mismatch: the file is truncated or corrupt`);
  }
  const weights = new Map<string, tf.Tensor>();
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.length !== size * 4 || t.offset + t.length > body.length) {
      throw new WeightsFormatError(`${source}: tensor "${t.name}" does not fit the body`);
    }
    const values = new Float32Array(
      body.buffer.slice(body.byteOffset + t.offset, body.byteOffset + t.offset + t.length),
    );
    weights.set(t.name, tf.tensor(values, t.shape, 'float32'));
  }
  return { model: header.model, weights, extra: header.extra };
}

/** Write a model's weights to `path` atomically (temp file + rename). */
export async function saveWeights(model: Model, path: string): Promise<void> {
  const weights = model.getWeights();
  try {
    await writeFileAtomic(path, encodeWeights(weights, model.name), { fsync: true });
  } finally {
    for (const t of weights.values()) t.dispose();
  }
}

/** Read weights from `path` into a model; a file of another architecture throws `WeightsMismatchError`. */
export async function loadWeights(model: Model, path: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new WeightsFormatError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const { weights } = decodeWeights(bytes, path);
  try {
    model.setWeights(weights);
  } finally {
    for (const t of weights.values()) t.dispose();
  }
}
