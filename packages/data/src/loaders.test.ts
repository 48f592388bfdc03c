import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DatasetError,
  FASHION_MNIST_DEBIAN_DIR,
  loadCifar10,
  loadFashionMnist,
  loadMnist,
  parseIdx,
} from './index.js';

function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([header, Buffer.from(data)]));
}

async function idxFolder(
  count: number,
  options: { gzip?: boolean; labels?: Uint8Array; labelCount?: number } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), 'sundew-idx-'));
  const images = Uint8Array.from({ length: count * 4 * 4 }, (_, i) => i % 256);
  const labels = options.labels ?? Uint8Array.from({ length: options.labelCount ?? count }, (_, i) => i % 10);
  const enc = (b: Uint8Array) => (options.gzip ? gzipSync(b) : b);
  const suffix = options.gzip ? '.gz' : '';
  await writeFile(join(dir, `train-images-idx3-ubyte${suffix}`), enc(idxBytes([count, 4, 4], images)));
  await writeFile(join(dir, `train-labels-idx1-ubyte${suffix}`), enc(idxBytes([labels.length], labels)));
  return dir;
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return { code: (e as DatasetError).code, message: (e as Error).message };
  }
  throw new Error('expected a DatasetError');
};

describe('IDX loaders', () => {
  it('read raw and gzip files alike', async () => {
    for (const gzip of [false, true]) {
      const ds = await loadMnist({ dir: await idxFolder(12, { gzip }), split: 'train' });
      expect(ds.count).toBe(12);
      expect(ds.shape).toEqual([4, 4, 1]);
      expect(ds.images.length).toBe(12 * 16);
      expect(ds.images[17]).toBe(17);
      expect([...ds.labels.subarray(0, 3)]).toEqual([0, 1, 2]);
    }
  });

  it('name the missing file and how to get Fashion-MNIST', async () => {
    const e = await code(loadFashionMnist({ dir: '/nonexistent', split: 'test' }));
    expect(e.code).toBe('missing-file');
    expect(e.message).toMatch(/t10k-images-idx3-ubyte\.gz: file not found/);
    expect(e.message).toMatch(/apt-get install dataset-fashion-mnist/);
  });

  it('reject a count mismatch between images and labels', async () => {
    const e = await code(loadMnist({ dir: await idxFolder(12, { labelCount: 11 }), split: 'train' }));
    expect(e.code).toBe('size-mismatch');
    expect(e.message).toMatch(/11 labels for 12 images/);
  });

  it('reject labels out of range', async () => {
    const labels = new Uint8Array(5).fill(3);
    labels[4] = 12;
    const e = await code(loadMnist({ dir: await idxFolder(5, { labels }), split: 'train' }));
    expect(e.code).toBe('label-range');
    expect(e.message).toMatch(/label 12 at sample 4 is out of range; expected 0–9/);
  });

  it('reject a folder of another dataset (CIFAR files where IDX are expected)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-wrong-'));
    await writeFile(join(dir, 'train-images-idx3-ubyte'), new Uint8Array(3073).fill(3));
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), idxBytes([1], Uint8Array.of(1)));
    const e = await code(loadMnist({ dir, split: 'train' }));
    expect(e.code).toBe('bad-magic');
    expect(e.message).toMatch(/expected "00 00 08 03"/);
  });

  it('reject images of zero pixels', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-zero-'));
    await writeFile(join(dir, 'train-images-idx3-ubyte'), idxBytes([2, 0, 28], new Uint8Array(0)));
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), idxBytes([2], Uint8Array.of(1, 2)));
    const e = await code(loadMnist({ dir, split: 'train' }));
    expect(e.code).toBe('bad-shape');
    expect(e.message).toMatch(
      /declares 2 images of 0×28 pixels; expected at least one image of at least 1×1/,
    );
  });

  it('reject a header that claims more data than the file has, quickly', () => {
    const bytes = idxBytes([1_000_000_000, 28, 28], new Uint8Array(100));
    const t0 = performance.now();
    expect(() => parseIdx(bytes, 'x', 3)).toThrow(/truncated/);
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it('fuzz: random, truncated and mutated bytes only ever throw DatasetError', () => {
    const valid = idxBytes(
      [3, 4, 4],
      Uint8Array.from({ length: 48 }, (_, i) => i),
    );
    const check = (bytes: Uint8Array) => {
      try {
        parseIdx(bytes, 'fuzz', 3);
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { seed: 1, numRuns: 500 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length }), (n) => check(valid.subarray(0, n))),
      { seed: 2, numRuns: 200 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, value) => {
          const copy = valid.slice();
          copy[at] = value;
          check(copy);
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });
});

describe('CIFAR-10 loader', () => {
  async function cifarFolder(records: number, extra = 0) {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-cifar-'));
    const bytes = new Uint8Array(records * 3073 + extra);
    for (let r = 0; r < records; r++) {
      bytes[r * 3073] = r % 10;
      bytes.fill(10, r * 3073 + 1, r * 3073 + 1025); // R plane
      bytes.fill(20, r * 3073 + 1025, r * 3073 + 2049); // G plane
      bytes.fill(30, r * 3073 + 2049, r * 3073 + 3073); // B plane
    }
    await writeFile(join(dir, 'test_batch.bin'), bytes);
    return dir;
  }

  it('converts planar RGB records to NHWC', async () => {
    const ds = await loadCifar10({ dir: await cifarFolder(3), split: 'test' });
    expect(ds.count).toBe(3);
    expect(ds.shape).toEqual([32, 32, 3]);
    expect([...ds.images.subarray(0, 6)]).toEqual([10, 20, 30, 10, 20, 30]);
    expect([...ds.labels]).toEqual([0, 1, 2]);
  });

  it('rejects a partial record and missing batches', async () => {
    expect((await code(loadCifar10({ dir: await cifarFolder(2, 5), split: 'test' }))).message).toMatch(
      /not a whole number of 3073-byte CIFAR-10 records/,
    );
    const e = await code(loadCifar10({ dir: await cifarFolder(1), split: 'train' }));
    expect(e.message).toMatch(/data_batch_1\.bin: file not found/);
  });
});

describe('bundled Fashion-MNIST subset', () => {
  it('holds 6,000 / 1,000 balanced 28×28 images', async () => {
    for (const [split, count] of [
      ['train', 6000],
      ['test', 1000],
    ] as const) {
      const ds = await loadFashionMnist({ split, source: 'bundled' });
      expect(ds.count).toBe(count);
      expect(ds.shape).toEqual([28, 28, 1]);
      const perClass = new Array(10).fill(0);
      for (const l of ds.labels) perClass[l]++;
      expect(perClass).toEqual(new Array(10).fill(count / 10));
    }
  });
});

describe.skipIf(!existsSync(FASHION_MNIST_DEBIAN_DIR))('Debian Fashion-MNIST', () => {
  it('loads 60,000 / 10,000 images', async () => {
    expect((await loadFashionMnist({ split: 'train' })).count).toBe(60_000);
    expect((await loadFashionMnist({ split: 'test' })).count).toBe(10_000);
  });
});

it('creates folders for nothing: a missing folder is an error, not an empty dataset', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sundew-empty-'));
  await mkdir(join(dir, 'sub'));
  expect((await code(loadMnist({ dir: join(dir, 'sub'), split: 'train' }))).code).toBe('missing-file');
});
