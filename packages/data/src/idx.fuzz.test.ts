import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetError, loadMnist, maybeGunzip, parseIdx } from './index.js';

function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([header, Buffer.from(data)]));
}

const images = idxBytes(
  [4, 3, 3],
  Uint8Array.from({ length: 36 }, (_, i) => i),
);
const labels = idxBytes([4], Uint8Array.of(0, 1, 2, 3));

/** Apply a list of (position, value) byte edits to a copy. */
const mutate = (bytes: Uint8Array, edits: [number, number][]): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  for (const [at, value] of edits) copy[at % copy.length] = value;
  return copy;
};
const edits = fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 });

describe('IDX fuzz beyond the parser', () => {
  it('mutated and truncated gzip streams give DatasetError, never a zlib error or a hang', () => {
    const gz = gzipSync(images);
    const check = (bytes: Uint8Array) => {
      const t0 = performance.now();
      try {
        parseIdx(maybeGunzip(bytes, 'x.gz'), 'x.gz', 3);
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
      }
      expect(performance.now() - t0).toBeLessThan(100);
    };
    fc.assert(
      fc.property(edits, (e) => check(mutate(gz, e))),
      { seed: 21, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(gz.length), (n) => check(gz.subarray(0, n))),
      { seed: 22, numRuns: 100 },
    );
  });

  it('a folder of mutated image and label files loads or gives DatasetError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-idx-fuzz-'));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), edits, async (imageSide, e) => {
        await writeFile(join(dir, 'train-images-idx3-ubyte'), imageSide ? mutate(images, e) : images);
        await writeFile(join(dir, 'train-labels-idx1-ubyte'), imageSide ? labels : mutate(labels, e));
        try {
          const ds = await loadMnist({ dir, split: 'train' });
          expect(ds.images.length).toBe(ds.count * ds.shape[0] * ds.shape[1]);
          expect(ds.labels.every((l) => l < 10)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(DatasetError);
        }
      }),
      { seed: 23, numRuns: 150 },
    );
    await rm(dir, { recursive: true });
  });
});
