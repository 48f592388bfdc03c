import { streamRandom } from '@sundew/data';

/** Generated tabular classification data: features and int32 labels. */
export interface TabularData {
  x: { values: Float32Array; shape: [number, number] };
  y: Int32Array;
  classes: number;
}

/**
 * `count` samples of `features` Gaussian features; the class is the arg-max of
 * a fixed random non-linear score (two tanh units per class), plus label noise,
 * so an MLP has something to learn and some samples stay hard.
 */
export function tabularData(
  count: number,
  seed: number,
  features = 20,
  classes = 4,
  noise = 0.05,
): TabularData {
  const rule = streamRandom(1234, 1); // the same rule for every split
  const weights = Float32Array.from({ length: classes * 2 * features }, () => rule() * 2 - 1);
  const random = streamRandom(seed, 2);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const values = Float32Array.from({ length: count * features }, gauss);
  const y = Int32Array.from({ length: count }, (_, i) => {
    if (random() < noise) return Math.floor(random() * classes);
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      let score = 0;
      for (let u = 0; u < 2; u++) {
        let dot = 0;
        for (let f = 0; f < features; f++)
          dot += weights[(c * 2 + u) * features + f]! * values[i * features + f]!;
        score += Math.tanh(dot / Math.sqrt(features));
      }
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  });
  return { x: { values, shape: [count, features] }, y, classes };
}
