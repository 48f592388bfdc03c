// How well the guard's split finds flipped labels: read an AST run's checkpoint
// (before `regime-study.ts --pack` removes it), rebuild its NoiseAwareScorer and
// compare `likelyMislabeled()` with the labels the regime flipped.
//
//   npx tsx bench/mislabeled-split.ts <run dir> --label-noise 0.3 --seed 1 [--imbalance 10]
import { applyRegime, loadFashionMnist } from '@sundew/data';
import { NoiseAwareScorer, type NoiseAwareState } from '@sundew/significance';
import { readCheckpoint } from '@sundew/trainer';
import { selectBackend } from '@sundew/vit';
import { arg } from './lib.js';

const dir = process.argv[2];
if (!dir || dir.startsWith('--'))
  throw new Error('usage: mislabeled-split.ts <run dir> --label-noise p --seed s');
const [noise, seed, imbalance] = [
  Number(arg('label-noise', '0')),
  Number(arg('seed', '0')),
  Number(arg('imbalance', '1')),
];
await selectBackend('cpu');
const regime = applyRegime(await loadFashionMnist({ split: 'train', source: 'bundled' }), {
  labelNoise: noise,
  imbalance,
  seed,
});
const checkpoint = await readCheckpoint(`${dir}/checkpoint.bin`, console.warn);
if (!checkpoint) throw new Error(`${dir}: no checkpoint.bin (a packed run keeps none)`);
// The default scorer is the guard inside the class balancer; a bare guard has no `inner`.
const held = checkpoint.state.scorer as unknown as { inner?: NoiseAwareState } & NoiseAwareState;
const scorer = new NoiseAwareScorer({
  datasetSize: regime.dataset.count,
  filter: 'guard',
  classRelative: true,
});
scorer.restore(held.inner ?? held);
const flipped = new Set(regime.flipped);
const left = scorer.likelyMislabeled();
const hits = left.filter((i) => flipped.has(i)).length;
console.log(
  JSON.stringify({
    foundNoise: scorer.foundNoise,
    separation: scorer.lastMixture?.separation ?? null,
    likelyMislabeled: left.length,
    flipped: flipped.size,
    precision: left.length > 0 ? hits / left.length : null,
    recall: flipped.size > 0 ? hits / flipped.size : null,
  }),
);
