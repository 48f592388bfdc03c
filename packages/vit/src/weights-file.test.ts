import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { decodeWeights, encodeWeights, WeightsFormatError } from './weights-file.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const sample = () =>
  tf.tidy(() =>
    encodeWeights(
      new Map([
        ['a', tf.ones([3, 2])],
        ['b', tf.fill([2], 2)],
      ]),
      'm',
      { epoch: 3, note: 'state' },
    ),
  );

/** Re-encode a file with a rewritten header, sealed again: what a buggy or hostile writer could produce. */
function reseal(
  bytes: Buffer,
  edit: (header: Record<string, unknown>, body: Buffer) => void,
  version = 2,
): Buffer {
  const len = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + len));
  const body = bytes.subarray(12 + len, bytes.length - 32);
  edit(header, body);
  const json = Buffer.from(JSON.stringify(header));
  const head = Buffer.alloc(12);
  head.write('SUNDEWWT', 'latin1');
  head.writeUInt32LE(json.length, 8);
  const sealed = Buffer.concat([head, json, body]);
  if (version === 1) return sealed;
  return Buffer.concat([sealed, createHash('sha256').update(sealed).digest()]);
}

const decodeError = (bytes: Uint8Array): WeightsFormatError => {
  try {
    const { weights } = decodeWeights(bytes, 'f.bin');
    tf.dispose([...weights.values()]);
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsFormatError);
    return e as WeightsFormatError;
  }
  throw new Error('expected a WeightsFormatError');
};

describe('weights file format', () => {
  it('round-trips tensors, the model name and the extra JSON', () => {
    const { model, weights, extra } = decodeWeights(sample());
    expect(model).toBe('m');
    expect(extra).toEqual({ epoch: 3, note: 'state' });
    expect([...weights.get('b')!.dataSync()]).toEqual([2, 2]);
    tf.dispose([...weights.values()]);
  });

  it('detects a change in the header too (a checkpoint epoch flipped from 3 to 7)', () => {
    const bytes = sample();
    const at = bytes.indexOf('"epoch":3') + 8;
    bytes[at] = '7'.charCodeAt(0);
    expect(decodeError(bytes).message).toBe('f.bin: checksum mismatch: the file is truncated or corrupt');
  });

  it('detects every truncation and every single-byte change', () => {
    const bytes = sample();
    for (let n = 0; n < bytes.length; n++) decodeError(bytes.subarray(0, n));
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const copy = Buffer.from(bytes);
        copy[at] = (copy[at]! + delta) % 256;
        decodeError(copy);
      }),
      { seed: 8, numRuns: 300 },
    );
  });

  it('still reads version-1 files (body checksum only) and their damage', () => {
    const v1 = reseal(
      sample(),
      (h, body) => {
        h['version'] = 1;
        h['sha256'] = createHash('sha256').update(body).digest('hex');
      },
      1,
    );
    const { weights } = decodeWeights(v1);
    expect([...weights.get('a')!.dataSync()]).toEqual([1, 1, 1, 1, 1, 1]);
    tf.dispose([...weights.values()]);
    const damaged = Buffer.from(v1);
    damaged[damaged.length - 1]! ^= 1;
    expect(decodeError(damaged).message).toMatch(/checksum mismatch/);
  });

  it('rejects malformed tensor entries of a sealed file before making any tensor', () => {
    const before = tf.memory().numTensors;
    const cases: [string, (h: Record<string, unknown>) => void][] = [
      ['no tensor list', (h) => delete h['tensors']],
      ['a second entry past the body', (h) => ((h['tensors'] as { offset: number }[])[1]!.offset = 1e6)],
      ['a shape that is not a list', (h) => ((h['tensors'] as { shape: unknown }[])[0]!.shape = 'big')],
      ['a repeated name', (h) => ((h['tensors'] as { name: string }[])[1]!.name = 'a')],
      ['a negative dimension', (h) => ((h['tensors'] as { shape: number[] }[])[1]!.shape = [-2])],
      ['another dtype', (h) => ((h['tensors'] as { dtype: string }[])[0]!.dtype = 'int32')],
      ['another version', (h) => (h['version'] = 3)],
    ];
    for (const [what, edit] of cases) {
      expect(decodeError(reseal(sample(), edit)).message, what).toMatch(
        /^f\.bin: (tensor entry|the header|unsupported)/,
      );
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fuzz: any JSON in place of a header field gives WeightsFormatError or valid tensors, never a leak', () => {
    const bytes = sample();
    const before = tf.memory().numTensors;
    fc.assert(
      fc.property(
        fc.constantFrom('name', 'shape', 'dtype', 'offset', 'length'),
        fc.nat(1),
        fc.jsonValue(),
        (field, index, value) => {
          const edited = reseal(bytes, (h) => {
            (h['tensors'] as Record<string, unknown>[])[index]![field] = value;
          });
          try {
            const { weights } = decodeWeights(edited);
            tf.dispose([...weights.values()]);
          } catch (e) {
            expect(e).toBeInstanceOf(WeightsFormatError);
          }
        },
      ),
      { seed: 9, numRuns: 400 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
