import { allSamples, type SamplesSource, tensorDataset } from '@sundew/data';
import { createGate, energyForRate } from '@sundew/gate';
import { detectEnvironment, MetricsRecorder } from '@sundew/metrics';
import { createScorer } from '@sundew/significance';
import type { Gate, RunMetrics, SampleDataset, SignificanceScorer, TrainingMode } from '@sundew/types';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from './adamw.js';
import { StepEngine } from './engine.js';
import { runEpochs } from './epoch-loop.js';
import { TrainerConfigError } from './errors.js';
import { modelFingerprint } from './fingerprint.js';
import { type FitCallback, FitCallbackList, type FitLogs } from './fit-callbacks.js';
import { checkFitData } from './fit-check.js';
import { type LayersModelOptions, layersLossModel } from './layers-model.js';
import { learningRateAt } from './schedule.js';
import type { SelectionMode } from './selection.js';
import { adamWStepOptimizer, type StepOptimizer, tfjsStepOptimizer } from './step-optimizer.js';

/** The AST part of `fitSparse`: how samples are chosen. */
export interface SparseOptions {
  /** `sparse` (default) or `full` (every sample, through the same engine). */
  mode?: Exclude<TrainingMode, 'sample'>;
  /** Share of samples the gate steers toward. Default 0.3. */
  targetRate?: number;
  /** A scorer or its name (`createScorer`). Default `stale-loss-guarded-balanced` (no extra forward; random scores once the losses show mislabeled samples; class-aware rates, at random within each class, on a long tail). */
  scorer?: SignificanceScorer | string;
  /** A gate or its name (`createGate`). Default `sundew` with an energy store that sustains the rate. */
  gate?: Gate | string;
  /** Train on every sample for the first N epochs. Default 0. */
  warmupEpochs?: number;
  selection?: SelectionMode;
  reweight?: 'none' | 'infobatch';
}

/** Options of `fitSparse`: `model.fit`'s, plus `sparse`. */
export interface FitSparseOptions extends LayersModelOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32 (as `fit`). */
  batchSize?: number;
  /** Shuffle the samples each epoch (seeded). Default true. */
  shuffle?: boolean;
  /** `[x, y]` or a dataset, validated after every epoch. */
  validationData?: [SamplesSource, SamplesSource] | SampleDataset;
  callbacks?: FitCallback | FitCallback[];
  /** `false` or `{ mode: 'full' }`: plain training through the same engine. Default: AST with the defaults. */
  sparse?: SparseOptions | false;
  /** Default: the optimizer the model was compiled with, else `adamw`. */
  optimizer?: Optimizer | 'adamw';
  /** AdamW only: learning rate (default 1e-3), weight decay (0.01) and schedule (`constant`). */
  learningRate?: number;
  weightDecay?: number;
  schedule?: 'constant' | 'cosine';
  /** Global gradient-norm clip; default null (off, as `fit`). */
  clipNorm?: number | null;
  /** Order, gate and scorer randomness derive from it. Default 0. */
  seed?: number;
  /** Stop when training seconds reach this. */
  budgetSeconds?: number;
  /** Checkpoint file: written every `every` batches and at each epoch end; `resume` continues from it. */
  checkpoint?: { path: string; every?: number; resume?: boolean };
  signal?: AbortSignal;
  /** 0 (default): silent; 1: one line per epoch through `log`. */
  verbose?: 0 | 1;
  log?: (line: string) => void;
}

/** What `fitSparse` returns: tfjs's `History`, plus the run's metrics. */
export interface SparseHistory {
  epoch: number[];
  /** Per epoch: loss, acc (classification), val_loss/val_acc (with validation), activation_rate, threshold. */
  history: Record<string, number[]>;
  params: Record<string, unknown>;
  /** The whole run (per batch and per epoch), as `train` records it. */
  metrics: RunMetrics;
  stopped: 'completed' | 'budget' | 'aborted';
}

/** A tensor, a typed array or `{ values, shape }`: targets, not options. */
const isSamplesSource = (v: unknown): v is SamplesSource =>
  ArrayBuffer.isView(v) ||
  typeof (v as { dataSync?: unknown }).dataSync === 'function' ||
  ArrayBuffer.isView((v as { values?: unknown }).values);

// A tf.Tensor has a chained `gather` op too (with @tensorflow/tfjs): a dataset is one with a sample shape.
const isDataset = (v: unknown): v is SampleDataset =>
  typeof (v as SampleDataset | undefined)?.gather === 'function' &&
  Array.isArray((v as SampleDataset).xShape);

function resolveOptimizer(model: LayersModel, o: FitSparseOptions, variables: tf.Variable[]): StepOptimizer {
  const choice = o.optimizer ?? (model as { optimizer?: Optimizer }).optimizer ?? 'adamw';
  if (choice === 'adamw') {
    return adamWStepOptimizer(new AdamW(variables, { weightDecay: o.weightDecay ?? 0.01 }));
  }
  if (typeof (choice as Optimizer).applyGradients !== 'function') {
    throw new TrainerConfigError(
      'fitSparse: optimizer must be a tfjs optimizer (tf.train.adam(), …) or "adamw"; received ' +
        `${JSON.stringify(choice)}`,
    );
  }
  return tfjsStepOptimizer(choice as Optimizer, variables);
}

/**
 * Train a `tf.LayersModel` with Adaptive Sparse Training through a call that
 * reads like `model.fit(x, y, options)`: the same epochs, batch size,
 * validation and callbacks (tfjs's shape: `tfvis.show.fitCallbacks` works),
 * and a History back. Logs also carry `activation_rate` and `threshold`.
 * `sparse: false` trains on every sample through the same engine.
 */
export async function fitSparse(
  model: LayersModel,
  x: SamplesSource | SampleDataset,
  y?: SamplesSource | FitSparseOptions,
  options: FitSparseOptions = {},
): Promise<SparseHistory> {
  // fitSparse(model, dataset, options): a dataset carries its targets.
  const targetsGiven = y !== undefined && isSamplesSource(y);
  const o = isDataset(x) && y !== undefined && !targetsGiven ? (y as FitSparseOptions) : options;
  y = targetsGiven ? y : undefined;
  const train = isDataset(x) ? x : tensorDataset(x, y as SamplesSource, { name: 'train' });
  const validationSet = o.validationData
    ? isDataset(o.validationData)
      ? o.validationData
      : tensorDataset(o.validationData[0], o.validationData[1], { name: 'validation' })
    : null;
  const epochs = o.epochs ?? 1;
  const batchSize = o.batchSize ?? 32;
  const seed = o.seed ?? 0;
  for (const [name, v] of [
    ['epochs', epochs],
    ['batchSize', batchSize],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new TrainerConfigError(`fitSparse: ${name} must be an integer ≥ 1; received ${v}`);
    }
  }
  const lossModel = layersLossModel(model, o);
  checkFitData(model, lossModel, train, 'x/y');
  if (validationSet) checkFitData(model, lossModel, validationSet, 'validationData');
  const sparse = o.sparse === false ? { mode: 'full' as const } : (o.sparse ?? {});
  const mode = sparse.mode ?? 'sparse';
  if (mode !== 'sparse' && mode !== 'full') {
    throw new TrainerConfigError(
      `fitSparse: sparse.mode must be sparse or full; received ${JSON.stringify(mode)}`,
    );
  }
  const targetRate = sparse.targetRate ?? 0.3;
  if (!(targetRate > 0 && targetRate <= 1)) {
    throw new TrainerConfigError(`fitSparse: sparse.targetRate must be in (0, 1]; received ${targetRate}`);
  }
  const scorer =
    mode === 'full'
      ? undefined
      : typeof sparse.scorer === 'object'
        ? sparse.scorer
        : createScorer(sparse.scorer ?? 'stale-loss-guarded-balanced', { seed, datasetSize: train.count });
  const gateName = typeof sparse.gate === 'string' ? sparse.gate : 'sundew';
  const gate =
    mode === 'full'
      ? undefined
      : typeof sparse.gate === 'object'
        ? sparse.gate
        : createGate(gateName, {
            targetActivationRate: targetRate,
            seed,
            ...(gateName === 'sundew' ? { sundew: energyForRate(targetRate) } : {}),
          });
  const variables = lossModel.trainableVariables();
  const optimizer = resolveOptimizer(model, o, variables);
  const perEpoch = Math.ceil(train.count / batchSize);
  const recorder = new MetricsRecorder({
    label: mode === 'sparse' ? 'ast' : 'full',
    mode,
    config: { epochs, batchSize, seed, mode, ...(mode === 'sparse' ? { targetRate } : {}) },
    environment: detectEnvironment({ backend: tf.getBackend() ?? 'unknown', tfjsVersion: tf.version_core }),
    ...(gate?.targetActivationRate !== undefined ? { targetActivationRate: gate.targetActivationRate } : {}),
  });
  recorder.setEpochShape({ batchesPerEpoch: perEpoch, trainSamples: train.count });
  const engine = new StepEngine({
    model: lossModel,
    optimizer,
    mode,
    ...(scorer ? { scorer } : {}),
    ...(gate ? { gate } : {}),
    clipNorm: o.clipNorm ?? null,
    seed,
    warmupEpochs: sparse.warmupEpochs ?? 0,
    selection: sparse.selection ?? 'per-batch',
    batchSize,
    reweight: sparse.reweight ?? 'none',
    trackAccuracy: lossModel.labelsOf(train.gather(new Int32Array([0]))) !== null,
    recorder,
  });
  const params = { epochs, batchSize, samples: train.count, steps: perEpoch, verbose: o.verbose ?? 0 };
  const callbacks = new FitCallbackList(o.callbacks, model, params);
  const stop = new AbortController();
  // A Sequential model throws on stopTraining before it is compiled: then nobody can have set it.
  const stopRequested = (): boolean => {
    try {
      return (model as { stopTraining?: boolean }).stopTraining === true;
    } catch {
      return false;
    }
  };
  o.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  if (o.signal?.aborted) stop.abort();
  const history: SparseHistory['history'] = { loss: [], activation_rate: [], threshold: [] };
  const epochIndex: number[] = [];
  let sums = { loss: 0, trained: 0, correct: 0, hasAcc: false, seen: 0 };
  const log = o.log ?? ((line: string) => console.log(line));
  const push = (key: string, v: number) => {
    history[key] ??= [];
    history[key]!.push(v);
  };
  try {
    (model as { stopTraining?: boolean }).stopTraining = false;
  } catch {
    // Not compiled: stopTraining cannot be set, nor read.
  }
  const fingerprint = modelFingerprint(lossModel, {
    mode,
    batchSize,
    seed,
    gate: gate ? gate.name : null,
    scorer: scorer ? scorer.name : null,
    data: train.name,
    samples: train.count,
  });
  try {
    await callbacks.call('onTrainBegin', {});
    const result = await runEpochs({
      engine,
      train,
      validation: validationSet ? allSamples(validationSet) : null,
      validationBatchSize: Math.max(batchSize, 256),
      epochs,
      batchSize,
      seed,
      shuffle: o.shuffle ?? true,
      augment: true,
      limit: perEpoch,
      ...(o.budgetSeconds ? { budgetSeconds: o.budgetSeconds } : {}),
      learningRate: (progress) =>
        learningRateAt(progress, {
          lr: o.learningRate ?? 1e-3,
          schedule: o.schedule ?? 'constant',
          minLr: 0,
          warmupFraction: 0,
        }),
      ...(o.checkpoint ? { checkpoint: o.checkpoint } : {}),
      fingerprint,
      signal: stop.signal,
      recorder,
      log: o.log ?? (() => {}),
      onEpochBegin: async (epoch) => {
        sums = { loss: 0, trained: 0, correct: 0, hasAcc: false, seen: 0 };
        await callbacks.call('onEpochBegin', epoch, {});
      },
      onBatchBegin: (_epoch, batch) =>
        callbacks.call('onBatchBegin', batch, {
          batch,
          size: Math.min(batchSize, train.count - batch * batchSize),
        }),
      onBatchEnd: async (event, report) => {
        const logs: FitLogs = {
          batch: event.batch,
          size: event.batchSize,
          loss: event.loss,
          activation_rate: event.activated / event.batchSize,
          threshold: event.gate ? event.gate.threshold : Number.NaN,
        };
        if (Number.isFinite(event.loss)) {
          sums.loss += event.loss * event.activated;
          sums.trained += event.activated;
        }
        sums.seen += event.batchSize;
        if (report.correct !== null) {
          logs.acc = report.correct / Math.max(1, event.activated);
          sums.correct += report.correct;
          sums.hasAcc = true;
        }
        await callbacks.call('onBatchEnd', event.batch, logs);
        if (stopRequested()) stop.abort();
      },
      onEpochEnd: async (record) => {
        const logs: FitLogs = {
          loss: sums.trained > 0 ? sums.loss / sums.trained : Number.NaN,
          activation_rate: record.activationRate,
          threshold: gate ? gate.stats().threshold : Number.NaN,
        };
        if (sums.hasAcc) logs.acc = sums.correct / Math.max(1, sums.trained);
        if (record.valLoss !== null) logs.val_loss = record.valLoss;
        if (record.valAccuracy !== null) logs.val_acc = record.valAccuracy;
        epochIndex.push(record.epoch);
        for (const [k, v] of Object.entries(logs)) push(k, v);
        if (o.verbose === 1) {
          log(
            `Epoch ${record.epoch + 1}/${epochs} ${Object.entries(logs)
              .map(([k, v]) => `${k}=${v.toFixed(4)}`)
              .join(' ')}`,
          );
        }
        await callbacks.call('onEpochEnd', record.epoch, logs);
        if (stopRequested()) stop.abort();
      },
    });
    await callbacks.call('onTrainEnd', {});
    return { epoch: epochIndex, history, params, metrics: result.metrics, stopped: result.stopped };
  } finally {
    optimizer.dispose();
  }
}
