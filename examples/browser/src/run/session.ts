// Full training, AST and the random control, stepped batch by batch in turn
// on the step-level engine. Node-free: the page's worker drives it, and the
// Node reference run (test/node-reference.ts) drives the very same code.
import {
  allSamples,
  imageSamples,
  limitDataset,
  normalizationFor,
  sampleBatches,
} from '@sundew/data/samples';
import { createGate } from '@sundew/gate';
import { detectEnvironment, MetricsRecorder } from '@sundew/metrics';
import { createScorer } from '@sundew/significance';
import {
  AdamW,
  adamWStepOptimizer,
  classifierLossModel,
  evaluate,
  learningRateAt,
  StepEngine,
  type StepOptimizer,
} from '@sundew/trainer/step';
import type { BatchRecord, EpochRecord, ImageDataset, RunMetrics, SampleBatch } from '@sundew/types';
import { createViT, type VisionTransformer } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_PRESETS, RECIPES, type RunConfig, type RunLabel } from './config.js';

/** What a session reports after each step. */
export type SessionEvent =
  | { type: 'batch'; run: RunLabel; record: BatchRecord; trainSeconds: number; progress: number }
  | {
      type: 'epoch';
      run: RunLabel;
      record: EpochRecord;
      /** The run's whole metrics so far (the `metrics.json` schema). */
      metrics: RunMetrics;
      /** tf.memory().numTensors after the epoch's validation. */
      tensors: number;
    }
  | { type: 'run-done'; run: RunLabel; metrics: RunMetrics };

/** Where the page's worker or Node runs: written into each metrics file. */
export interface SessionEnvironment {
  backend: string;
  threads: number;
  /** e.g. `browser worker (Chromium 130)` or `node`. */
  runtime: string;
}

interface RunState {
  label: RunLabel;
  model: VisionTransformer;
  optimizer: StepOptimizer;
  engine: StepEngine;
  recorder: MetricsRecorder;
  epoch: number;
  batch: number;
  batches: Generator<SampleBatch> | null;
  trainSeconds: number;
  epochSeconds: number;
  partial: boolean;
  done: boolean;
}

/**
 * The three runs of a configuration, from the same initial weights (each model
 * is built from the seed), stepped in turn: the run furthest behind (in
 * epochs, or in seconds with a time budget) takes the next batch, so the
 * dashboard shows all three moving and their timings are taken side by side.
 */
export class TrainingSession {
  readonly config: RunConfig;
  readonly trainCount: number;
  readonly batchesPerEpoch: number;
  private readonly runs: RunState[];
  private readonly train: ReturnType<typeof imageSamples>;
  private readonly validation: SampleBatch;

  constructor(config: RunConfig, data: { train: ImageDataset; test: ImageDataset }, env: SessionEnvironment) {
    this.config = config;
    const trainSet = config.limitTrain
      ? limitDataset(data.train, config.limitTrain, config.seed)
      : data.train;
    const testSet = config.limitTest ? limitDataset(data.test, config.limitTest, config.seed) : data.test;
    this.trainCount = trainSet.count;
    this.batchesPerEpoch = Math.ceil(trainSet.count / config.batchSize);
    this.train = imageSamples(trainSet, { normalization: normalizationFor(trainSet) });
    this.validation = allSamples(imageSamples(testSet, { normalization: normalizationFor(testSet) }));
    const recipe = RECIPES[config.recipe];
    const [h, w, c] = trainSet.shape;
    this.runs = config.runs.map((label) => {
      const model = createViT({
        ...MODEL_PRESETS[config.model],
        imageSize: [h, w],
        channels: c,
        numClasses: trainSet.numClasses,
        seed: config.seed,
      });
      const mode = label === 'full' ? 'full' : 'sparse';
      const scorer =
        mode === 'full'
          ? undefined
          : createScorer(label === 'random' ? 'random' : recipe.scorer, {
              seed: config.seed,
              datasetSize: trainSet.count,
            });
      const gate =
        mode === 'full'
          ? undefined
          : createGate(recipe.gate, { targetActivationRate: config.targetRate, seed: config.seed });
      const recorder = new MetricsRecorder({
        label,
        mode,
        config: {
          example: 'browser',
          runtime: env.runtime,
          dataset: trainSet.name,
          recipe: config.recipe,
          model: config.model,
          seed: config.seed,
          lr: recipe.lr,
          batchSize: config.batchSize,
          budget:
            config.budget.kind === 'epochs' ? `${config.budget.epochs} epochs` : `${config.budget.seconds} s`,
          ...(scorer && gate ? { scorer: scorer.name, gate: gate.name, targetRate: config.targetRate } : {}),
        },
        environment: detectEnvironment({
          backend: env.backend,
          threads: env.threads,
          tfjsVersion: tf.version_core,
        }),
        ...(gate ? { targetActivationRate: config.targetRate } : {}),
      });
      recorder.setEpochShape({ batchesPerEpoch: this.batchesPerEpoch, trainSamples: trainSet.count });
      const optimizer = adamWStepOptimizer(new AdamW(model.trainableVariables(), { weightDecay: 0.01 }));
      const engine = new StepEngine({
        model: classifierLossModel(model),
        optimizer,
        mode,
        ...(scorer ? { scorer } : {}),
        ...(gate ? { gate } : {}),
        microBatchSize: config.batchSize,
        clipNorm: 1,
        seed: config.seed,
        selection: 'per-batch',
        batchSize: config.batchSize,
        dataset: this.train,
        recorder,
      });
      return {
        label,
        model,
        optimizer,
        engine,
        recorder,
        epoch: 0,
        batch: 0,
        batches: null,
        trainSeconds: 0,
        epochSeconds: 0,
        partial: false,
        done: false,
      };
    });
  }

  /** Runs not yet finished. */
  get running(): boolean {
    return this.runs.some((r) => !r.done);
  }

  /** The metrics of every run so far (the `metrics.json` schema). */
  metrics(): RunMetrics[] {
    return this.runs.map((r) => r.recorder.toJSON());
  }

  /** How far a run is, in [0, 1]: its share of the epochs or of the seconds. */
  private progress(r: RunState): number {
    const b = this.config.budget;
    return b.kind === 'seconds'
      ? r.trainSeconds / b.seconds
      : (r.epoch + r.batch / this.batchesPerEpoch) / b.epochs;
  }

  /** One batch of the run furthest behind, and its epoch's end when it was the last one. */
  step(): SessionEvent[] {
    const r = this.runs.filter((s) => !s.done).sort((a, b) => this.progress(a) - this.progress(b))[0];
    if (!r) return [];
    const events: SessionEvent[] = [];
    const b = this.config.budget;
    const lr = learningRateAt(this.progress(r), { lr: RECIPES[this.config.recipe].lr, schedule: 'cosine' });
    r.batches ??= sampleBatches(this.train, {
      batchSize: this.config.batchSize,
      seed: this.config.seed,
      epoch: r.epoch,
      augment: false,
    });
    const next = r.batches.next();
    if (!next.done) {
      const report = r.engine.step(next.value, {
        epoch: r.epoch,
        batch: r.batch,
        last: r.batch === this.batchesPerEpoch - 1,
        lr,
      });
      r.trainSeconds += report.seconds;
      r.epochSeconds += report.seconds;
      events.push({
        type: 'batch',
        run: r.label,
        record: {
          epoch: r.epoch,
          batch: r.batch,
          batchSize: report.batchSize,
          activated: report.activated,
          threshold: report.gate ? report.gate.threshold : Number.NaN,
          loss: report.loss,
          energyConsumed: report.energyConsumed,
          energyBaseline: report.energyBaseline,
          stepSeconds: report.seconds,
        },
        trainSeconds: r.trainSeconds,
        progress: this.progress(r),
      });
      r.batch++;
    }
    const outOfTime = b.kind === 'seconds' && r.trainSeconds >= b.seconds;
    if (outOfTime && r.batch < this.batchesPerEpoch) r.partial = true;
    if (next.done || r.batch >= this.batchesPerEpoch || outOfTime) {
      events.push(this.endEpoch(r));
      const finished = outOfTime || (b.kind === 'epochs' ? r.epoch >= b.epochs : r.epoch >= 100);
      if (finished)
        events.push(
          this.finish(
            r,
            outOfTime
              ? `stopped by the budget of ${b.kind === 'seconds' ? b.seconds : 0} training seconds`
              : null,
          ),
        );
    }
    return events;
  }

  private endEpoch(r: RunState): SessionEvent {
    const v0 = performance.now();
    const v = evaluate(r.engine.model, this.validation);
    const record = r.recorder.endEpoch({
      epoch: r.epoch,
      valLoss: v.loss,
      valAccuracy: Number.isFinite(v.accuracy) ? v.accuracy : null,
      epochSeconds: r.epochSeconds,
      validationSeconds: (performance.now() - v0) / 1000,
      ...(r.partial ? { partial: true } : {}),
      phaseSeconds: r.engine.takePhases(),
    });
    r.epoch++;
    r.batch = 0;
    r.batches = null;
    r.epochSeconds = 0;
    r.partial = false;
    return {
      type: 'epoch',
      run: r.label,
      record,
      metrics: r.recorder.toJSON(),
      tensors: tf.memory().numTensors,
    };
  }

  private finish(r: RunState, note: string | null): SessionEvent {
    r.done = true;
    if (note) r.recorder.note(note);
    if (r.engine.skipped > 0)
      r.recorder.note(`${r.engine.skipped} step(s) skipped for a non-finite loss or gradient`);
    r.recorder.finish();
    return { type: 'run-done', run: r.label, metrics: r.recorder.toJSON() };
  }

  /** Stop every run now: each unfinished one ends its open epoch (partial) and is marked stopped. */
  stop(): SessionEvent[] {
    const events: SessionEvent[] = [];
    for (const r of this.runs) {
      if (r.done) continue;
      if (r.batch > 0) {
        r.partial = true;
        events.push(this.endEpoch(r));
      }
      events.push(this.finish(r, 'stopped from the page before its budget'));
    }
    return events;
  }

  /** Free every model's and optimizer's tensors. */
  dispose(): void {
    for (const r of this.runs) {
      r.optimizer.dispose();
      r.model.dispose();
    }
  }
}
