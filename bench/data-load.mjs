// Load time of Fashion-MNIST train+test: the Debian copy and the bundled subset.
// Run: npm run build && node bench/data-load.mjs
import { loadFashionMnist } from '@sundew/data';

for (const source of ['dir', 'bundled']) {
  const times = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const a = await loadFashionMnist({ split: 'train', source });
    const b = await loadFashionMnist({ split: 'test', source });
    times.push(performance.now() - t0);
    if (r === 0) console.log(source, a.count, b.count);
  }
  times.sort((x, y) => x - y);
  console.log(
    source,
    'train+test load ms (median of 3):',
    times[1].toFixed(0),
    'all:',
    times.map((t) => t.toFixed(0)).join(', '),
  );
}
