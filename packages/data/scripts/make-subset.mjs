// Makes the bundled Fashion-MNIST subset from Debian's copy:
// 600 training and 100 test images per class, chosen with a fixed seed.
// Run: npm run build -w @sundew/data && node packages/data/scripts/make-subset.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  datasetStatistics,
  FASHION_MNIST_BUNDLED_DIR,
  limitDataset,
  loadFashionMnist,
} from '../dist/index.js';

const idx = (dims, data) => {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, Buffer.from(data)]), { level: 9 });
};

mkdirSync(FASHION_MNIST_BUNDLED_DIR, { recursive: true });
for (const [split, perClass, stem] of [
  ['train', 600, 'train'],
  ['test', 100, 't10k'],
]) {
  const full = await loadFashionMnist({ split });
  if (split === 'train') console.log('full training set statistics', datasetStatistics(full));
  const subset = limitDataset(full, perClass * 10, 20261124);
  writeFileSync(
    join(FASHION_MNIST_BUNDLED_DIR, `${stem}-images-idx3-ubyte.gz`),
    idx([subset.count, 28, 28], subset.images),
  );
  writeFileSync(
    join(FASHION_MNIST_BUNDLED_DIR, `${stem}-labels-idx1-ubyte.gz`),
    idx([subset.count], subset.labels),
  );
  console.log(split, subset.count, 'images');
}
