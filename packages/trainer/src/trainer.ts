import { batchCount, batches, gatherBatch, normalizationFor, streamRandom, wholeDataset } from '@sundew/data';
import { detectEnvironment, MetricsRecorder, validateRunMetrics } from '@sundew/metrics';
import type { DataBatch, GateStats, JsonObject, PhaseSeconds, RunMetrics } from '@sundew/types';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from './adamw.js';
import {
  type Checkpoint,
  readCheckpoint,
  removeStaleCheckpointTemps,
  writeCheckpoint,
} from './checkpoint.js';
import { CheckpointError, NonFiniteLossError } from './errors.js';
import { describeFingerprintMismatch, modelFingerprint } from './fingerprint.js';
import { checkTrainOptions, type TrainOptions } from './options.js';
import { learningRateAt } from './schedule.js';
import { scoringBatch } from './scoring.js';
import { infoBatchWeights, SelectionBuffer } from './selection.js';
import { computeGradients, type StepSamples } from './train-step.js';
import { evaluate } from './validate.js';

/** How a run ended. */
export interface TrainResult {
  metrics: RunMetrics;
  stopped: 'completed' | 'budget' | 'aborted';
  /** Where a resumed run picked up. */
  resumedFrom?: { epoch: number; batch: number };
}

const now = (): number => performance.now() / 1000;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const ENERGY_PER_SAMPLE = 10;

/**
 * Train a model (SPEC "The method"): per batch, score → gate → gather the
 * active samples → one optimizer step on them; `full` trains on every sample,
 * `sample` one sample per step. Validates after each epoch and records
 * everything in a `MetricsRecorder`.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  checkTrainOptions(options);
  const o = options;
  const mode = o.mode ?? 'sparse';
  const batchSize = o.batchSize ?? 128;
  const micro = o.microBatchSize ?? batchSize;
  const seed = o.seed ?? 0;
  const selection = o.selection ?? 'per-batch';
  const log = o.log ?? (() => {});
  const { model, scorer, gate } = o;
  const [h, w, c] = model.inputShape;
  const pixels = h * w * c;
  const normalization = normalizationFor(o.train);
  const validation = o.validation ? wholeDataset(o.validation, normalizationFor(o.validation)) : null;
  const perEpoch = batchCount(o.train, { batchSize });
  const limit = Math.min(perEpoch, o.maxBatchesPerEpoch ?? (mode === 'sample' ? 5 : perEpoch));
  let recorder =
    o.recorder ??
    new MetricsRecorder({
      label: o.label ?? (mode === 'sparse' ? 'ast' : mode),
      mode,
      config: o.config ?? {},
      environment: detectEnvironment({ backend: tf.getBackend() ?? 'unknown', tfjsVersion: tf.version_core }),
      ...(gate?.targetActivationRate !== undefined && mode !== 'full'
        ? { targetActivationRate: gate.targetActivationRate }
        : {}),
    });
  recorder.setEpochShape({ batchesPerEpoch: perEpoch, trainSamples: o.train.count });
  const optimizer = new AdamW(model.trainableVariables(), { weightDecay: o.weightDecay ?? 0.01 });
  const buffer = selection === 'buffered' ? new SelectionBuffer(pixels, 2 * batchSize) : null;
  const fingerprint = modelFingerprint(model, {
    mode,
    batchSize,
    seed,
    selection,
    gate: gate && mode !== 'full' ? gate.name : null,
    scorer: scorer && mode !== 'full' ? scorer.name : null,
    data: o.train.name,
    samples: o.train.count,
  });

  let epoch = 0;
  let startBatch = 0;
  let trainSeconds = 0;
  let epochSeconds = 0;
  let skipped = 0;
  const noPhases = (): PhaseSeconds => ({ scoring: 0, selection: 0, training: 0, bookkeeping: 0 });
  let phases = noPhases();
  /** Run f and add its seconds to a phase of the epoch. */
  const timed = <T>(phase: keyof PhaseSeconds, f: () => T): T => {
    const t0 = now();
    try {
      return f();
    } finally {
      phases[phase] += now() - t0;
    }
  };
  let resumedFrom: TrainResult['resumedFrom'];
  function restore(cp: Checkpoint): void {
    const path = o.checkpoint!.path;
    try {
      if (cp.state.fingerprint !== fingerprint) {
        throw new CheckpointError(
          'mismatch',
          `${path}: checkpoint of another model, configuration or dataset ` +
            `(${describeFingerprintMismatch(cp.state.fingerprint, fingerprint)}); ` +
            'resume with the settings it was written with, or train into another folder',
          path,
        );
      }
      restoreState(cp);
    } catch (error) {
      if (error instanceof CheckpointError) throw error;
      throw new CheckpointError(
        'mismatch',
        `${path}: the checkpoint does not fit this run: ${(error as Error).message}`,
        path,
      );
    } finally {
      tf.dispose([...cp.tensors.values()]);
    }
  }

  function restoreState(cp: Checkpoint): void {
    const weights = new Map<string, tf.Tensor>();
    const moments = new Map<string, tf.Tensor>();
    for (const [name, t] of cp.tensors) {
      if (name.startsWith('model/')) weights.set(name.slice(6), t);
      else if (name.startsWith('adamw.')) moments.set(name, t);
    }
    model.setWeights(weights);
    optimizer.restore(moments, cp.state.optimizerStep);
    if (cp.state.gate && gate) gate.restore(cp.state.gate);
    if (cp.state.scorer && scorer) scorer.restore(cp.state.scorer);
    if (cp.state.buffer && buffer) {
      const images = cp.tensors.get('buffer/images');
      buffer.restore({
        ...cp.state.buffer,
        images: images ? (images.dataSync() as Float32Array) : new Float32Array(0),
      });
    }
    // JSON stored NaN (a batch without a step) as null; the metrics reader turns it back.
    recorder = MetricsRecorder.fromJSON(validateRunMetrics(cp.state.metrics, o.checkpoint!.path));
    epoch = cp.state.epoch;
    startBatch = cp.state.batch;
    trainSeconds = cp.state.trainSeconds;
    epochSeconds = cp.state.epochSeconds;
    skipped = cp.state.skipped ?? 0;
  }

  async function saveCheckpoint(nextEpoch: number, nextBatch: number): Promise<void> {
    if (!o.checkpoint) return;
    const tensors = new Map<string, tf.Tensor>();
    const weights = model.getWeights();
    for (const [name, t] of weights) tensors.set(`model/${name}`, t);
    for (const [name, t] of optimizer.moments()) tensors.set(name, t);
    let bufferState: { labels: number[]; indices: number[]; weights: number[] } | null = null;
    if (buffer && buffer.size > 0) {
      const snap = buffer.snapshot();
      tensors.set('buffer/images', tf.tensor1d(snap.images));
      bufferState = { labels: snap.labels, indices: snap.indices, weights: snap.weights };
    }
    try {
      await writeCheckpoint(o.checkpoint.path, {
        state: {
          version: 1,
          fingerprint,
          epoch: nextEpoch,
          batch: nextBatch,
          optimizerStep: optimizer.step,
          trainSeconds,
          epochSeconds,
          skipped,
          gate: gate ? gate.state() : null,
          scorer: scorer ? scorer.state() : null,
          metrics: recorder.toJSON() as RunMetrics & JsonObject,
          buffer: bufferState,
        },
        tensors,
      });
    } finally {
      tf.dispose([...tensors.values()]);
    }
  }

  const progress = (e: number, b: number): number =>
    o.budgetSeconds ? trainSeconds / o.budgetSeconds : (e + b / limit) / o.epochs;

  /** One optimizer step; returns its mean loss, or NaN when the batch was skipped as non-finite. */
  function step(samples: StepSamples, indices: Int32Array, e: number, b: number, salt: number): number {
    const result = computeGradients(model, samples, {
      microBatch: micro,
      clipNorm: o.clipNorm === undefined ? 1 : o.clipNorm,
      seed: seed * 1_000_003 + e * 10_007 + b * 31 + salt,
    });
    if (!Number.isFinite(result.loss) || !Number.isFinite(result.gradNorm)) {
      tf.dispose(result.grads);
      const what = Number.isFinite(result.loss) ? 'gradient' : 'loss';
      if ((o.onNonFinite ?? 'stop') === 'stop') throw new NonFiniteLossError(e, b, what);
      skipped++;
      return Number.NaN;
    }
    const lr = learningRateAt(progress(e, b), {
      lr: o.lr ?? 1e-4,
      schedule: o.schedule ?? 'cosine',
      minLr: o.minLr ?? 0,
      warmupFraction: o.warmupFraction ?? 0,
    });
    optimizer.apply(result.grads, lr);
    tf.dispose(result.grads);
    scorer?.observe?.(indices, result.losses);
    return result.loss;
  }

  const samplesOf = (
    batch: DataBatch,
    active: readonly number[],
    weights: Float32Array | null,
  ): StepSamples => {
    const images = new Float32Array(active.length * pixels);
    active.forEach((i, k) => images.set(batch.images.subarray(i * pixels, (i + 1) * pixels), k * pixels));
    return { images, labels: Int32Array.from(active, (i) => batch.labels[i]!), weights, n: active.length };
  };

  /** Run one batch in the current mode; returns trained count, mean step loss and the gate's energy delta. */
  function runBatch(
    batch: DataBatch,
    e: number,
    b: number,
    last: boolean,
  ): { activated: number; loss: number; energy: [number, number]; stats: GateStats | null } {
    const all = [...batch.indices.keys()];
    if (mode === 'full' || (mode === 'sparse' && e < (o.warmupEpochs ?? 0))) {
      const samples = timed('selection', () => samplesOf(batch, all, null));
      const loss = timed('training', () => step(samples, batch.indices, e, b, 0));
      const energy = batch.size * ENERGY_PER_SAMPLE;
      return { activated: batch.size, loss, energy: [energy, energy], stats: null };
    }
    const before = gate!.stats();
    if (mode === 'sample') {
      let activated = 0;
      let lossSum = 0;
      for (const i of all) {
        const one = timed('selection', () =>
          gatherBatch(o.train, batch.indices.subarray(i, i + 1), normalization),
        );
        const inputs = timed('scoring', () => scoringBatch(model, scorer!, one, 1));
        if (timed('selection', () => gate!.decide(scorer!.score(inputs))[0])) {
          lossSum += timed('training', () => step(samplesOf(one, [0], null), one.indices, e, b, i + 1));
          activated++;
        }
      }
      const after = gate!.stats();
      return {
        activated,
        loss: activated > 0 ? lossSum / activated : Number.NaN,
        energy: [after.energyConsumed - before.energyConsumed, after.energyBaseline - before.energyBaseline],
        stats: after,
      };
    }
    const inputs = timed('scoring', () => scoringBatch(model, scorer!, batch, micro));
    const t0 = now();
    const scores = scorer!.score(inputs);
    const mask = gate!.decide(scores);
    const after = gate!.stats();
    let active = all.filter((i) => mask[i] === 1);
    const energy: [number, number] = [
      after.energyConsumed - before.energyConsumed,
      after.energyBaseline - before.energyBaseline,
    ];
    if (active.length === 0 && batch.size > 0) {
      // The script's fallback: nothing active → train on 2 random samples.
      const random = streamRandom(seed, e, 3, b);
      active = [...new Set([0, 1].map(() => Math.floor(random() * batch.size)))];
      // The gate booked them as skips; they are trained, so they cost what an activation
      // costs (the gate's own per-sample prices: baseline = activations, consumed = skips here).
      energy[0] += (active.length * (energy[1] - energy[0])) / batch.size;
    }
    const weights = o.reweight === 'infobatch' ? infoBatchWeights(scores, mask, active) : null;
    phases.selection += now() - t0;
    if (!buffer) {
      const samples = timed('selection', () => samplesOf(batch, active, weights));
      const indices = Int32Array.from(active, (i) => batch.indices[i]!);
      const loss = timed('training', () => step(samples, indices, e, b, 0));
      return { activated: active.length, loss, energy, stats: after };
    }
    timed('selection', () => buffer.push(batch, active, weights));
    let lossSum = 0;
    let steps = 0;
    while (buffer.size >= batchSize || (last && buffer.size > 0)) {
      const taken = timed('selection', () => buffer.take(batchSize));
      lossSum += timed('training', () => step(taken, taken.indices, e, b, steps));
      steps++;
    }
    return { activated: active.length, loss: steps > 0 ? lossSum / steps : Number.NaN, energy, stats: after };
  }

  let stopped: TrainResult['stopped'] = 'completed';
  try {
    // Inside the try: a checkpoint that fails to restore still frees the optimizer's moments.
    if (o.checkpoint) {
      for (const file of await removeStaleCheckpointTemps(o.checkpoint.path)) {
        log(`removed ${file}, an unfinished checkpoint left by a killed run`);
      }
    }
    if (o.checkpoint?.resume) {
      const cp = await readCheckpoint(o.checkpoint.path, log);
      if (cp) {
        restore(cp);
        resumedFrom = { epoch, batch: startBatch };
        log(
          epoch >= o.epochs
            ? `resumed from ${o.checkpoint.path}: the run is complete (${o.epochs} of ${o.epochs} epochs); writing its metrics`
            : `resumed from ${o.checkpoint.path} at epoch ${epoch + 1}, batch ${startBatch + 1}`,
        );
      } else {
        log(`no checkpoint at ${o.checkpoint.path} yet: starting from the beginning`);
      }
    }
    for (; epoch < o.epochs && stopped === 'completed'; epoch++, startBatch = 0) {
      let epochActive = 0;
      let epochSeen = 0;
      let partial = limit < perEpoch;
      let b = startBatch;
      for (const batch of batches(o.train, {
        batchSize,
        seed,
        epoch,
        startBatch,
        normalization,
        augment: o.augment ?? false,
      })) {
        if (b >= limit) break;
        if (o.budgetSeconds && trainSeconds >= o.budgetSeconds) {
          stopped = 'budget';
          partial = true;
          break;
        }
        if (o.signal?.aborted) {
          await saveCheckpoint(epoch, b);
          stopped = 'aborted';
          return { metrics: recorder.toJSON(), stopped, ...(resumedFrom ? { resumedFrom } : {}) };
        }
        const t0 = now();
        const r = runBatch(batch, epoch, b, b === limit - 1);
        const seconds = now() - t0;
        trainSeconds += seconds;
        epochSeconds += seconds;
        epochActive += r.activated;
        epochSeen += batch.size;
        const bookkeeping = now();
        recorder.recordBatch({
          epoch,
          batch: b,
          batchSize: batch.size,
          activated: r.activated,
          threshold: r.stats ? r.stats.threshold : Number.NaN,
          loss: r.loss,
          energyConsumed: r.energy[0],
          energyBaseline: r.energy[1],
          stepSeconds: seconds,
        });
        o.onBatchEnd?.({
          epoch,
          epochs: o.epochs,
          batch: b,
          batches: limit,
          loss: r.loss,
          batchSize: batch.size,
          activated: r.activated,
          epochActivationRate: epochActive / epochSeen,
          gate: r.stats,
          seconds,
          trainSeconds,
          ...(o.budgetSeconds ? { budgetSeconds: o.budgetSeconds } : {}),
        });
        phases.bookkeeping += now() - bookkeeping;
        b++;
        if (o.checkpoint?.every && b % o.checkpoint.every === 0 && b < limit) await saveCheckpoint(epoch, b);
        await yieldToEventLoop();
      }
      const v0 = now();
      const v = validation ? evaluate(model, validation) : null;
      const record = recorder.endEpoch({
        epoch,
        valLoss: v ? v.loss : null,
        valAccuracy: v ? v.accuracy : null,
        epochSeconds,
        validationSeconds: now() - v0,
        ...(partial ? { partial: true } : {}),
        phaseSeconds: phases,
      });
      // The epoch is recorded: the checkpoint below starts the next one at zero seconds.
      phases = noPhases();
      epochSeconds = 0;
      o.onEpochEnd?.(record);
      await saveCheckpoint(epoch + 1, 0);
    }
    if (mode === 'sample' || limit < perEpoch) {
      recorder.note(
        `${mode} mode: each epoch timed on ${limit} of ${perEpoch} batches (epochs marked partial)`,
      );
    }
    if (skipped > 0) recorder.note(`${skipped} step(s) skipped for a non-finite loss or gradient`);
    if (stopped === 'budget') recorder.note(`stopped by the budget of ${o.budgetSeconds} training seconds`);
    recorder.finish();
    return { metrics: recorder.toJSON(), stopped, ...(resumedFrom ? { resumedFrom } : {}) };
  } finally {
    optimizer.dispose();
  }
}
