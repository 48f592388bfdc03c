import { streamRandom } from '@sundew/data/samples';
import type { MetricsRecorder } from '@sundew/metrics';
import type {
  Gate,
  GateStats,
  JsonObject,
  PhaseSeconds,
  SampleBatch,
  SampleDataset,
  SignificanceScorer,
  TrainingMode,
} from '@sundew/types';
import type { LossModel } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteLossError, TrainerConfigError } from './errors.js';
import { scoringBatch } from './scoring.js';
import { infoBatchWeights, SelectionBuffer, type SelectionMode } from './selection.js';
import type { StepOptimizer } from './step-optimizer.js';
import { computeGradients, type StepSamples } from './train-step.js';

const now = (): number => performance.now() / 1000;
const ENERGY_PER_SAMPLE = 10;

/** Options of a `StepEngine`. Only `model` and `optimizer` are required. */
export interface StepEngineOptions {
  model: LossModel;
  optimizer: StepOptimizer;
  /** `sparse` (AST, default), `full` (every sample) or `sample` (one sample per step). */
  mode?: TrainingMode;
  /** Required for `sparse` and `sample`. */
  scorer?: SignificanceScorer;
  /** Required for `sparse` and `sample`. */
  gate?: Gate;
  /** Largest batch one forward/backward runs at; gradients are summed over micro-batches. Default: no limit. */
  microBatchSize?: number;
  /** Global gradient-norm clip (default 1; null: off). */
  clipNorm?: number | null;
  /** Dropout masks and the empty-mask fallback derive from it. Default 0. */
  seed?: number;
  /** Sparse mode: train on every sample for the first N epochs. Default 0. */
  warmupEpochs?: number;
  /** How selected samples become steps. Default `per-batch`; `buffered` needs `batchSize`. */
  selection?: SelectionMode;
  /** Training batch size of a `buffered` selection. */
  batchSize?: number;
  /** `infobatch`: up-weight kept low-score samples by 1/(kept share). Default `none`. */
  reweight?: 'none' | 'infobatch';
  /** `stop` (default): throw `NonFiniteLossError`; `skip`: skip the step and count it. */
  onNonFinite?: 'stop' | 'skip';
  /** Sample mode re-gathers each sample from here (without augmentation). */
  dataset?: SampleDataset;
  /** Count training-forward hits (`StepReport.correct`), for a training accuracy. Default false. */
  trackAccuracy?: boolean;
  /** Each step is recorded here when set. */
  recorder?: MetricsRecorder;
}

/** Where a batch sits in the run: seeds derive from it. */
export interface StepPosition {
  epoch: number;
  batch: number;
  /** The epoch's last batch (a `buffered` selection flushes). */
  last?: boolean;
  /** Learning rate of this batch's steps (default 1e-4; a tfjs optimizer keeps its own). */
  lr?: number;
}

/** What one batch did. */
export interface StepReport {
  batchSize: number;
  /** Samples trained on. */
  activated: number;
  /** Samples put through a scoring forward (no gradient): the batch when the scorer needs one, else 0. */
  scored: number;
  /** Mean loss of the steps this batch took (NaN when none). */
  loss: number;
  /** Modeled energy this batch spent and full training would have spent. */
  energyConsumed: number;
  energyBaseline: number;
  /** The gate's stats after this batch (null in full mode and warm-up). */
  gate: GateStats | null;
  /** Trained samples the training forward got right (with `trackAccuracy`; null otherwise or for regression). */
  correct: number | null;
  /** Wall-clock seconds of the batch. */
  seconds: number;
}

/** The engine's state besides the model and optimizer (checkpoints). */
export interface StepEngineState {
  skipped: number;
  gate: JsonObject | null;
  scorer: JsonObject | null;
  buffer: { labels: number[]; indices: number[]; weights: number[] } | null;
}

const noPhases = (): PhaseSeconds => ({ scoring: 0, selection: 0, training: 0, bookkeeping: 0 });

/**
 * One AST step per batch (SPEC "The method"): score → gate → gather the active
 * samples → one optimizer step on them → record. Drive it from any loop (an
 * epoch loop, a browser worker): it holds no timers, files or Node APIs.
 */
export class StepEngine {
  readonly model: LossModel;
  readonly optimizer: StepOptimizer;
  readonly mode: TrainingMode;
  /** Steps skipped for a non-finite loss or gradient. */
  skipped = 0;
  /** Seconds spent per phase since the last `takePhases()`. */
  phases: PhaseSeconds = noPhases();
  recorder: MetricsRecorder | undefined;
  private readonly o: StepEngineOptions;
  private buffer: SelectionBuffer | null = null;

  constructor(options: StepEngineOptions) {
    this.o = options;
    this.model = options.model;
    this.optimizer = options.optimizer;
    this.mode = options.mode ?? 'sparse';
    this.recorder = options.recorder;
    if (this.mode !== 'full' && (!options.scorer || !options.gate)) {
      throw new TrainerConfigError(
        `StepEngine: mode "${this.mode}" needs a scorer and a gate; pass both (or use mode "full")`,
      );
    }
  }

  /** The phases so far, and start counting again from zero. */
  takePhases(): PhaseSeconds {
    const p = this.phases;
    this.phases = noPhases();
    return p;
  }

  /** Samples held by a `buffered` selection, waiting for a full step. */
  get buffered(): number {
    return this.buffer?.size ?? 0;
  }

  /** Run f and add its seconds to a phase. */
  private timed<T>(phase: keyof PhaseSeconds, f: () => T): T {
    const t0 = now();
    try {
      return f();
    } finally {
      this.phases[phase] += now() - t0;
    }
  }

  /** Train on one batch in the engine's mode; `at` says where it sits in the run. */
  step(batch: SampleBatch, at: StepPosition): StepReport {
    const t0 = now();
    const r = this.runBatch(batch, at);
    const seconds = now() - t0;
    const report: StepReport = { ...r, batchSize: batch.size, seconds };
    if (this.recorder) {
      const t1 = now();
      this.recorder.recordBatch({
        epoch: at.epoch,
        batch: at.batch,
        batchSize: batch.size,
        activated: r.activated,
        threshold: r.gate ? r.gate.threshold : Number.NaN,
        loss: r.loss,
        energyConsumed: r.energyConsumed,
        energyBaseline: r.energyBaseline,
        stepSeconds: seconds,
      });
      this.phases.bookkeeping += now() - t1;
    }
    return report;
  }

  /** One optimizer step; returns its mean loss (NaN when skipped as non-finite) and hits. */
  private optimize(samples: StepSamples, indices: Int32Array, at: StepPosition, salt: number) {
    const o = this.o;
    const seed = o.seed ?? 0;
    const result = computeGradients(this.model, samples, {
      microBatch: o.microBatchSize ?? Number.POSITIVE_INFINITY,
      clipNorm: o.clipNorm === undefined ? 1 : o.clipNorm,
      seed: seed * 1_000_003 + at.epoch * 10_007 + at.batch * 31 + salt,
      withLogits: o.trackAccuracy ?? false,
      // Only a scorer that observes them needs the per-sample losses on the CPU (none in full mode).
      withLosses: typeof o.scorer?.observe === 'function',
    });
    if (!Number.isFinite(result.loss) || !Number.isFinite(result.gradNorm)) {
      tf.dispose(result.grads);
      const what = Number.isFinite(result.loss) ? 'gradient' : 'loss';
      if ((o.onNonFinite ?? 'stop') === 'stop') throw new NonFiniteLossError(at.epoch, at.batch, what);
      this.skipped++;
      return { loss: Number.NaN, correct: null };
    }
    this.optimizer.apply(result.grads, at.lr ?? 1e-4);
    tf.dispose(result.grads);
    if (result.losses) o.scorer?.observe?.(indices, result.losses);
    return { loss: result.loss, correct: result.logits ? this.hits(samples, result.logits) : null };
  }

  /** Samples whose logits' arg-max is their label. */
  private hits(samples: StepSamples, logits: Float32Array): number | null {
    const labels = this.model.labelsOf({ ...samples, indices: new Int32Array(samples.n), size: samples.n });
    if (!labels) return null;
    const k = this.model.numClasses;
    let correct = 0;
    for (let i = 0; i < samples.n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (logits[i * k + c]! > logits[i * k + best]!) best = c;
      if (best === labels[i]) correct++;
    }
    return correct;
  }

  private samplesOf(
    batch: SampleBatch,
    active: readonly number[],
    weights: Float32Array | null,
  ): StepSamples {
    const xSize = batch.x.length / batch.size;
    const ySize = batch.y.length / batch.size;
    const copy = (from: SampleBatch['x'], row: number) => {
      const out =
        from instanceof Int32Array
          ? new Int32Array(active.length * row)
          : new Float32Array(active.length * row);
      active.forEach((i, k) => out.set(from.subarray(i * row, (i + 1) * row), k * row));
      return out;
    };
    return {
      x: copy(batch.x, xSize),
      xShape: batch.xShape,
      y: copy(batch.y, ySize),
      yShape: batch.yShape,
      weights,
      n: active.length,
    };
  }

  private labels(batch: SampleBatch): Int32Array {
    return this.model.labelsOf(batch) ?? new Int32Array(batch.size);
  }

  private runBatch(batch: SampleBatch, at: StepPosition): Omit<StepReport, 'batchSize' | 'seconds'> {
    const o = this.o;
    const { mode } = this;
    const all = [...batch.indices.keys()];
    const micro = o.microBatchSize ?? Number.POSITIVE_INFINITY;
    if (mode === 'full' || (mode === 'sparse' && at.epoch < (o.warmupEpochs ?? 0))) {
      // Every sample in batch order: the batch's own arrays, no copy.
      const samples: StepSamples = {
        x: batch.x,
        xShape: batch.xShape,
        y: batch.y,
        yShape: batch.yShape,
        weights: null,
        n: batch.size,
      };
      const r = this.timed('training', () => this.optimize(samples, batch.indices, at, 0));
      const energy = batch.size * ENERGY_PER_SAMPLE;
      return {
        activated: batch.size,
        scored: 0,
        loss: r.loss,
        energyConsumed: energy,
        energyBaseline: energy,
        gate: null,
        correct: r.correct,
      };
    }
    const gate = o.gate!;
    const scorer = o.scorer!;
    const before = gate.stats();
    const delta = (after: GateStats) => ({
      energyConsumed: after.energyConsumed - before.energyConsumed,
      energyBaseline: after.energyBaseline - before.energyBaseline,
    });
    let correct: number | null = null;
    const count = (c: number | null) => {
      if (c !== null) correct = (correct ?? 0) + c;
    };
    if (mode === 'sample') {
      let activated = 0;
      let lossSum = 0;
      for (const i of all) {
        const one = this.timed('selection', () =>
          o.dataset ? o.dataset.gather(batch.indices.subarray(i, i + 1)) : this.sliceOne(batch, i),
        );
        const inputs = this.timed('scoring', () =>
          scoringBatch(this.model, scorer, one, this.labels(one), 1),
        );
        if (this.timed('selection', () => gate.decide(scorer.score(inputs))[0])) {
          const r = this.timed('training', () =>
            this.optimize(this.samplesOf(one, [0], null), one.indices, at, i + 1),
          );
          lossSum += r.loss;
          count(r.correct);
          activated++;
        }
      }
      const after = gate.stats();
      return {
        activated,
        scored: scorer.needs.forward ? all.length : 0,
        loss: activated > 0 ? lossSum / activated : Number.NaN,
        ...delta(after),
        gate: after,
        correct,
      };
    }
    const inputs = this.timed('scoring', () =>
      scoringBatch(this.model, scorer, batch, this.labels(batch), micro),
    );
    const t0 = now();
    const scores = scorer.score(inputs);
    const mask = gate.decide(scores);
    const after = gate.stats();
    const scored = scorer.needs.forward ? batch.size : 0;
    let active = all.filter((i) => mask[i] === 1);
    const energy = delta(after);
    if (active.length === 0 && batch.size > 0) {
      // The script's fallback: nothing active → train on 2 random samples.
      const random = streamRandom(o.seed ?? 0, at.epoch, 3, at.batch);
      active = [...new Set([0, 1].map(() => Math.floor(random() * batch.size)))];
      // The gate booked them as skips; they are trained, so they cost what an activation
      // costs (the gate's own per-sample prices: baseline = activations, consumed = skips here).
      energy.energyConsumed += (active.length * (energy.energyBaseline - energy.energyConsumed)) / batch.size;
    }
    const weights = o.reweight === 'infobatch' ? infoBatchWeights(scores, mask, active) : null;
    this.phases.selection += now() - t0;
    if ((o.selection ?? 'per-batch') === 'per-batch') {
      const samples = this.timed('selection', () => this.samplesOf(batch, active, weights));
      const indices = Int32Array.from(active, (i) => batch.indices[i]!);
      const r = this.timed('training', () => this.optimize(samples, indices, at, 0));
      return { activated: active.length, scored, loss: r.loss, ...energy, gate: after, correct: r.correct };
    }
    const buffer = this.bufferFor(batch);
    this.timed('selection', () => buffer.push(batch, active, weights));
    let lossSum = 0;
    let steps = 0;
    const batchSize = o.batchSize ?? batch.size;
    while (buffer.size >= batchSize || (at.last && buffer.size > 0)) {
      const taken = this.timed('selection', () => buffer.take(batchSize));
      const r = this.timed('training', () => this.optimize(taken, taken.indices, at, steps));
      lossSum += r.loss;
      count(r.correct);
      steps++;
    }
    return {
      activated: active.length,
      scored,
      loss: steps > 0 ? lossSum / steps : Number.NaN,
      ...energy,
      gate: after,
      correct,
    };
  }

  private sliceOne(batch: SampleBatch, i: number): SampleBatch {
    const s = this.samplesOf(batch, [i], null);
    return {
      x: s.x,
      xShape: s.xShape,
      y: s.y,
      yShape: s.yShape,
      indices: batch.indices.slice(i, i + 1),
      size: 1,
    };
  }

  private bufferFor(batch: SampleBatch): SelectionBuffer {
    this.buffer ??= new SelectionBuffer(
      {
        xShape: batch.xShape,
        yShape: batch.yShape,
        xDtype: batch.x instanceof Int32Array ? 'int32' : 'float32',
        yDtype: batch.y instanceof Int32Array ? 'int32' : 'float32',
      },
      2 * (this.o.batchSize ?? batch.size),
    );
    return this.buffer;
  }

  /** Gate, scorer and buffer state (JSON) plus the buffer's inputs as a tensor (`buffer/images`). */
  state(): { state: StepEngineState; tensors: Map<string, tf.Tensor> } {
    const tensors = new Map<string, tf.Tensor>();
    let buffer: StepEngineState['buffer'] = null;
    if (this.buffer && this.buffer.size > 0) {
      const snap = this.buffer.snapshot();
      tensors.set('buffer/images', tf.tensor1d(snap.images));
      buffer = { labels: snap.labels, indices: snap.indices, weights: snap.weights };
    }
    return {
      state: {
        skipped: this.skipped,
        gate: this.o.gate ? this.o.gate.state() : null,
        scorer: this.o.scorer ? this.o.scorer.state() : null,
        buffer,
      },
      tensors,
    };
  }

  /** Continue from `state()`; `shapes` are the batches' (a buffer is rebuilt for them). */
  restore(
    state: Partial<StepEngineState>,
    tensors: Map<string, tf.Tensor>,
    shapes: Pick<SampleDataset, 'xShape' | 'yShape' | 'xDtype' | 'yDtype'>,
  ): void {
    if (state.gate && this.o.gate) this.o.gate.restore(state.gate);
    if (state.scorer && this.o.scorer) this.o.scorer.restore(state.scorer);
    if (state.buffer && (this.o.selection ?? 'per-batch') === 'buffered') {
      this.buffer ??= new SelectionBuffer(shapes, 2 * (this.o.batchSize ?? 1));
      const images = tensors.get('buffer/images');
      this.buffer.restore({
        ...state.buffer,
        images: images ? (images.dataSync() as Float32Array) : new Float32Array(0),
      });
    }
    this.skipped = state.skipped ?? 0;
  }
}
