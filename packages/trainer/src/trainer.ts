import { allSamples, imageSamples, normalizationFor } from '@sundew/data';
import { detectEnvironment, MetricsRecorder } from '@sundew/metrics';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from './adamw.js';
import { classifierLossModel } from './classifier-model.js';
import { StepEngine } from './engine.js';
import { runEpochs, type TrainResult } from './epoch-loop.js';
import { modelFingerprint } from './fingerprint.js';
import { checkTrainOptions, type TrainOptions } from './options.js';
import { learningRateAt } from './schedule.js';
import { adamWStepOptimizer } from './step-optimizer.js';

export type { TrainResult } from './epoch-loop.js';

/**
 * Train a model (SPEC "The method"): per batch, score → gate → gather the
 * active samples → one optimizer step on them; `full` trains on every sample,
 * `sample` one sample per step. Validates after each epoch and records
 * everything in a `MetricsRecorder`. A `StepEngine` takes the steps; the
 * epoch loop (`runEpochs`) adds the budget, checkpoints and callbacks.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  checkTrainOptions(options);
  const o = options;
  const mode = o.mode ?? 'sparse';
  const batchSize = o.batchSize ?? 128;
  const seed = o.seed ?? 0;
  const selection = o.selection ?? 'per-batch';
  const { model, scorer, gate } = o;
  const normalization = normalizationFor(o.train);
  const train = imageSamples(o.train, { normalization, augment: o.augment ?? false });
  const validation = o.validation
    ? imageSamples(o.validation, { normalization: normalizationFor(o.validation) })
    : null;
  const perEpoch = Math.ceil(o.train.count / batchSize);
  const limit = Math.min(perEpoch, o.maxBatchesPerEpoch ?? (mode === 'sample' ? 5 : perEpoch));
  const recorder =
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
  const optimizer = adamWStepOptimizer(
    new AdamW(model.trainableVariables(), { weightDecay: o.weightDecay ?? 0.01 }),
  );
  try {
    const engine = new StepEngine({
      model: classifierLossModel(model),
      optimizer,
      mode,
      ...(scorer ? { scorer } : {}),
      ...(gate ? { gate } : {}),
      microBatchSize: o.microBatchSize ?? batchSize,
      clipNorm: o.clipNorm === undefined ? 1 : o.clipNorm,
      seed,
      warmupEpochs: o.warmupEpochs ?? 0,
      selection,
      batchSize,
      reweight: o.reweight ?? 'none',
      onNonFinite: o.onNonFinite ?? 'stop',
      dataset: imageSamples(o.train, { normalization }),
      recorder,
    });
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
    return await runEpochs({
      engine,
      train,
      validation: validation ? allSamples(validation) : null,
      epochs: o.epochs,
      batchSize,
      seed,
      augment: (o.augment ?? false) !== false,
      limit,
      ...(o.budgetSeconds ? { budgetSeconds: o.budgetSeconds } : {}),
      ...(o.budgetSamples ? { budgetSamples: o.budgetSamples } : {}),
      learningRate: (progress) =>
        learningRateAt(progress, {
          lr: o.lr ?? 1e-4,
          schedule: o.schedule ?? 'cosine',
          minLr: o.minLr ?? 0,
          warmupFraction: o.warmupFraction ?? 0,
        }),
      ...(o.checkpoint ? { checkpoint: o.checkpoint } : {}),
      fingerprint,
      ...(o.signal ? { signal: o.signal } : {}),
      recorder,
      log: o.log ?? (() => {}),
      partialNote:
        mode === 'sample' || limit < perEpoch
          ? `${mode} mode: each epoch timed on ${limit} of ${perEpoch} batches (epochs marked partial)`
          : null,
      ...(o.onBatchEnd ? { onBatchEnd: o.onBatchEnd } : {}),
      ...(o.onEpochEnd ? { onEpochEnd: o.onEpochEnd } : {}),
    });
  } finally {
    optimizer.dispose();
  }
}
