import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** An IDX file of unsigned bytes. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([header, Buffer.from(data)]));
}

/** Options of `writeIdxFolder`: per split, image size, count and labels. */
export interface IdxFolderOptions {
  count?: number;
  size?: [number, number];
  testSize?: [number, number];
  labels?: (i: number) => number;
  labelCount?: number;
}

/** A Fashion-MNIST-style folder of four gzip IDX files (small, generated). */
export async function writeIdxFolder(dir: string, o: IdxFolderOptions = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const count = o.count ?? 20;
  for (const [stem, size] of [
    ['train', o.size ?? [28, 28]],
    ['t10k', o.testSize ?? o.size ?? [28, 28]],
  ] as const) {
    const pixels = new Uint8Array(count * size[0] * size[1]).map((_, i) => (i * 7) % 256);
    const labels = Uint8Array.from({ length: o.labelCount ?? count }, (_, i) =>
      (o.labels ?? ((k) => k % 10))(i),
    );
    await writeFile(join(dir, `${stem}-images-idx3-ubyte.gz`), gzipSync(idxBytes([count, ...size], pixels)));
    await writeFile(join(dir, `${stem}-labels-idx1-ubyte.gz`), gzipSync(idxBytes([labels.length], labels)));
  }
}

/** A CIFAR-10 binary folder with `records` records per batch file. */
export async function writeCifarFolder(dir: string, records = 2): Promise<void> {
  await mkdir(dir, { recursive: true });
  const bytes = new Uint8Array(records * 3073).map((_, i) => (i % 3073 === 0 ? (i / 3073) % 10 : i % 256));
  for (const name of [
    'data_batch_1',
    'data_batch_2',
    'data_batch_3',
    'data_batch_4',
    'data_batch_5',
    'test_batch',
  ]) {
    await writeFile(join(dir, `${name}.bin`), bytes);
  }
}
