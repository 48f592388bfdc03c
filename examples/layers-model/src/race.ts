import { allSamples } from '@sundew/data';
import { type FitSparseOptions, fitSparse } from '@sundew/trainer';
import type { SampleDataset } from '@sundew/types';
import * as tf from '@tensorflow/tfjs';

/** The contenders, each trained from the same initial weights. */
export type Contender = 'model.fit' | 'fitSparse full' | 'fitSparse AST' | 'fitSparse random';

/** One finished run. */
export interface RunResult {
  contender: Contender;
  round: number;
  /** Wall-clock seconds of the training call (no validation inside it). */
  seconds: number;
  epochs: number;
  /** Test accuracy, 0–100. */
  accuracy: number;
  /** Samples trained on / samples seen (1 for full training). */
  activationRate: number;
}

/** What a race needs: a model builder, data, and the shared settings. */
export interface RaceSpec {
  build: () => tf.LayersModel;
  train: SampleDataset;
  test: SampleDataset;
  epochs: number;
  batchSize: number;
  lr: number;
  rounds: number;
  targetRate: number;
  seed: number;
  log: (line: string) => void;
}

/** Test accuracy (percent) of a model: arg-max of its predictions against the labels. */
function accuracy(model: tf.LayersModel, test: SampleDataset): number {
  const all = allSamples(test);
  let correct = 0;
  for (let start = 0; start < all.size; start += 512) {
    const m = Math.min(512, all.size - start);
    const row = all.x.length / all.size;
    const hits = tf.tidy(() => {
      const x = tf.tensor(all.x.subarray(start * row, (start + m) * row), [m, ...all.xShape]);
      const predicted = tf.argMax(model.predict(x) as tf.Tensor, -1);
      return tf
        .sum(tf.equal(predicted, tf.tensor1d(all.y.subarray(start, start + m), 'int32')))
        .dataSync()[0]!;
    });
    correct += hits;
  }
  return (100 * correct) / all.size;
}

/** Share of an epoch done in the epoch after the last finished one. */
function partialEpoch(batches: readonly { epoch: number }[], finished: number): number {
  const all = batches.filter((b) => b.epoch === 0).length;
  const done = batches.filter((b) => b.epoch === finished).length;
  return all > 0 ? done / all : 0;
}

/** The whole training split as tensors for `model.fit` (labels as float, which fit's sparse loss expects). */
function fitTensors(train: SampleDataset): { x: tf.Tensor; y: tf.Tensor } {
  const all = allSamples(train);
  return {
    x: tf.tensor(all.x, [all.size, ...all.xShape]),
    y: tf.tensor1d(Float32Array.from(all.y)),
  };
}

/**
 * Train every contender `rounds` times, interleaved (the order alternates each
 * round), from the same initial weights with the same optimizer settings:
 * model.fit and fitSparse full mode for the same epochs, without shuffling (so
 * both take the very same steps), then AST and the random control at the
 * budget model.fit used (its mean wall-clock seconds).
 */
export async function race(spec: RaceSpec): Promise<RunResult[]> {
  const initial = tf.tidy(() =>
    spec
      .build()
      .getWeights()
      .map((w) => tf.keep(w.clone())),
  );
  const fresh = (): tf.LayersModel => {
    const model = spec.build();
    model.setWeights(initial);
    return model;
  };
  const { x, y } = fitTensors(spec.train);
  const results: RunResult[] = [];
  const common = (): FitSparseOptions => ({
    loss: 'sparseCategoricalCrossentropy',
    batchSize: spec.batchSize,
    optimizer: tf.train.adam(spec.lr),
    seed: spec.seed,
  });
  const run = async (contender: Contender, round: number, budget: number | null): Promise<RunResult> => {
    const model = fresh();
    const t0 = performance.now();
    let rate = 1;
    let epochs = spec.epochs;
    if (contender === 'model.fit') {
      model.compile({ optimizer: tf.train.adam(spec.lr), loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x, y, { epochs: spec.epochs, batchSize: spec.batchSize, shuffle: false, verbose: 0 });
    } else if (contender === 'fitSparse full') {
      await fitSparse(model, spec.train, undefined, {
        ...common(),
        epochs: spec.epochs,
        shuffle: false,
        sparse: false,
      });
    } else {
      // Equal wall-clock: stop after the batch that reaches model.fit's seconds (as a callback would stop fit).
      const stop = new AbortController();
      const h = await fitSparse(model, spec.train, undefined, {
        ...common(),
        epochs: 100 * spec.epochs,
        signal: stop.signal,
        callbacks: {
          onBatchEnd: () => {
            if ((performance.now() - t0) / 1000 >= budget!) stop.abort();
          },
        },
        sparse: {
          targetRate: spec.targetRate,
          ...(contender === 'fitSparse random' ? { scorer: 'random' } : {}),
        },
      });
      const rates = h.history.activation_rate ?? [];
      // Epochs run, the last one counted by the share of its batches done.
      epochs =
        h.metrics.epochs.length +
        (h.stopped === 'aborted' ? partialEpoch(h.metrics.batches, h.metrics.epochs.length) : 0);
      const seen = h.metrics.batches.reduce((n, b) => n + b.batchSize, 0);
      const trained = h.metrics.batches.reduce((n, b) => n + b.activated, 0);
      rate = seen > 0 ? trained / seen : (rates[0] ?? Number.NaN);
    }
    const seconds = (performance.now() - t0) / 1000;
    const result = {
      contender,
      round,
      seconds,
      epochs,
      accuracy: accuracy(model, spec.test),
      activationRate: rate,
    };
    model.dispose();
    spec.log(
      `  round ${round + 1} ${contender.padEnd(16)} ${seconds.toFixed(2)} s, ${epochs} epochs, ` +
        `test accuracy ${result.accuracy.toFixed(2)} %, activation ${(100 * rate).toFixed(1)} %`,
    );
    return result;
  };
  // Untimed warm-up of every code path timed below (model.fit, fitSparse full, fitSparse AST):
  // the backend compiles its kernels and V8 its code on first use.
  {
    const warm = fresh();
    warm.compile({ optimizer: tf.train.adam(spec.lr), loss: 'sparseCategoricalCrossentropy' });
    await warm.fit(x, y, { epochs: 1, batchSize: spec.batchSize, shuffle: false, verbose: 0 });
    await fitSparse(warm, spec.train, undefined, { ...common(), epochs: 1, shuffle: false, sparse: false });
    await fitSparse(warm, spec.train, undefined, {
      ...common(),
      epochs: 1,
      sparse: { targetRate: spec.targetRate },
    });
    warm.dispose();
  }
  for (let round = 0; round < spec.rounds; round++) {
    const pair: Contender[] =
      round % 2 === 0 ? ['model.fit', 'fitSparse full'] : ['fitSparse full', 'model.fit'];
    for (const c of pair) results.push(await run(c, round, null));
    const fitSeconds = results.filter((r) => r.contender === 'model.fit' && r.round === round)[0]!.seconds;
    const sparse: Contender[] =
      round % 2 === 0 ? ['fitSparse AST', 'fitSparse random'] : ['fitSparse random', 'fitSparse AST'];
    for (const c of sparse) results.push(await run(c, round, fitSeconds));
  }
  tf.dispose([x, y, ...initial]);
  return results;
}
