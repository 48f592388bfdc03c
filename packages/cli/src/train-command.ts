import { join, resolve } from 'node:path';
import {
  detectEnvironment,
  MetricsRecorder,
  MetricsWriteError,
  summarizeRun,
  writeRunMetrics,
} from '@sundew/metrics';
import { CheckpointError, train } from '@sundew/trainer';
import type { JsonObject, RunMetrics } from '@sundew/types';
import { selectBackend } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from './errors.js';
import { recipeFor, selectionFor } from './presets.js';
import { batchProgressOf, createProgress } from './progress.js';
import { buildModel, loadData } from './setup.js';
import { checkSparseSettings, prepareOutDir, SPARSE_ONLY } from './train-checks.js';
import type { TrainConfig } from './train-config.js';
import { ensureWritableDir } from './writable-dir.js';

/** What `runTraining` hands back to the command (and to `compare`). */
export interface TrainingOutcome {
  metrics: RunMetrics;
  outDir: string;
  stopped: 'completed' | 'budget' | 'aborted';
}

const pct = (x: number | null): string =>
  x === null || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`;

/** `sundew train`: load data, build the model, train, write metrics.json and CSVs into `--out`. */
export async function runTraining(
  config: TrainConfig,
  io: { out: (line: string) => void; err: (line: string) => void; signal?: AbortSignal },
): Promise<TrainingOutcome> {
  const outDir = resolve(config.out);
  await ensureWritableDir(outDir);
  const recipe = recipeFor(config);
  const targetRate = config.targetRate ?? recipe.targetRate;
  const selection = config.selection ?? recipe.selection;
  const reweight = config.reweight ?? recipe.reweight;
  const warnings = checkSparseSettings(config, { targetRate, selection });
  const outState = await prepareOutDir(config, outDir);
  for (const line of [...outState.warnings, ...warnings]) io.err(line);
  if (outState.finished) {
    const s = summarizeRun(outState.finished);
    io.out(
      `${outState.finished.run.label}: the run in ${outDir} is already complete (${s.epochs} of ${config.epochs} epochs, val acc ${pct(s.finalValAccuracy)}); ` +
        'nothing to do: raise --epochs to train further, or train into another --out',
    );
    return { metrics: outState.finished, outDir, stopped: 'completed' };
  }
  const backend = await selectBackend(config.backend, { threads: config.threads });
  io.err(
    `backend: ${backend.name}${backend.threads > 1 ? `, ${backend.threads} threads` : ''} (${backend.reason})`,
  );
  const { train: trainSet, test, source, warnings: dataWarnings, regime } = await loadData(config);
  for (const line of dataWarnings) io.err(line);
  io.err(
    `data: ${trainSet.name} ${trainSet.count} train / ${test.count} test images (${source}); training set ${regime.name}`,
  );
  const model = buildModel(config, trainSet);
  const { scorer, gate, scorerName, gateName } = selectionFor(recipe, {
    ...(config.scorer ? { scorer: config.scorer } : {}),
    ...(config.gate ? { gate: config.gate } : {}),
    targetRate,
    seed: config.seed,
    datasetSize: trainSet.count,
  });
  const lr = config.lr ?? recipe.lr;
  const label = config.label ?? (config.mode === 'sparse' ? `ast-${scorerName}` : config.mode);
  // `resume` says how this process started, not what the run is: it stays out of the metrics;
  // so do AST's options in a full-training run, which uses none of them.
  const { resume: _resume, ...described } = config;
  // A gate without a target (infobatch) keeps what its rule keeps: no rate is recorded or shown.
  const heldRate = gate.targetActivationRate === undefined ? undefined : targetRate;
  const sparse: JsonObject = {
    scorer: scorerName,
    gate: gateName,
    ...(heldRate !== undefined ? { targetRate } : {}),
    selection,
    reweight,
  };
  const stored: JsonObject = {
    ...(JSON.parse(JSON.stringify(described)) as JsonObject),
    ...(config.mode === 'full' ? {} : sparse),
    lr,
    model: config.model,
    modelName: model.name,
    parameters: model.parameterCount(),
    dataset: trainSet.name,
    regime: regime.name,
  };
  if (config.mode === 'full') for (const key of SPARSE_ONLY) delete stored[key];
  io.err(
    `model: ${model.name}, ${model.parameterCount().toLocaleString('en')} parameters; mode ${config.mode}` +
      (config.mode === 'full'
        ? ''
        : `, scorer ${scorerName}, gate ${gateName}, ${heldRate !== undefined ? `target ${heldRate}` : 'no target rate'}`),
  );
  const recorder = new MetricsRecorder({
    label,
    mode: config.mode,
    config: stored,
    environment: detectEnvironment({
      backend: backend.name,
      threads: backend.threads,
      tfjsVersion: tf.version_core,
    }),
    ...(config.mode !== 'full' && heldRate !== undefined ? { targetActivationRate: heldRate } : {}),
  });
  await outState.clear();
  const progress = createProgress(config.progress);
  try {
    const result = await train({
      model,
      train: trainSet,
      validation: test,
      mode: config.mode,
      scorer,
      gate,
      epochs: config.epochs,
      batchSize: config.batchSize,
      ...(config.microBatchSize ? { microBatchSize: config.microBatchSize } : {}),
      lr,
      weightDecay: config.weightDecay,
      clipNorm: config.clipNorm,
      warmupEpochs: config.warmupEpochs || recipe.warmupEpochs,
      selection,
      reweight,
      seed: config.seed,
      augment: config.dataset === 'cifar10' ? { padding: 4, flip: true } : false,
      ...(config.mode === 'sample' ? { maxBatchesPerEpoch: config.sampleBatches } : {}),
      ...(config.budgetSeconds ? { budgetSeconds: config.budgetSeconds } : {}),
      ...(config.budgetSamples ? { budgetSamples: config.budgetSamples } : {}),
      onNonFinite: config.onNonFinite,
      checkpoint: {
        path: join(outDir, 'checkpoint.bin'),
        resume: config.resume,
        ...(config.checkpointEvery ? { every: config.checkpointEvery } : {}),
      },
      ...(io.signal ? { signal: io.signal } : {}),
      recorder,
      onBatchEnd: (e) => progress.batch(batchProgressOf(e)),
      onEpochEnd: (e) =>
        progress.epoch(
          `epoch ${e.epoch + 1}${config.budgetSeconds || config.budgetSamples ? '' : `/${config.epochs}`}${e.partial ? ' (partial)' : ''}: train loss ${e.trainLoss.toFixed(4)}, ` +
            `val acc ${pct(e.valAccuracy)}, active ${pct(e.activationRate)}, energy saved ${e.energySavedPercent.toFixed(1)}%, ` +
            `${e.epochSeconds.toFixed(1)} s`,
        ),
      // Warnings (a corrupt checkpoint, a resume) are shown whatever the progress display.
      log: (line) => {
        progress.stop();
        io.err(line);
      },
    }).catch((error: unknown) => {
      if (error instanceof CheckpointError && error.code === 'write') {
        throw new UsageError(`${error.message} with --resume`);
      }
      throw error;
    });
    progress.stop();
    if (result.stopped === 'aborted') {
      io.err(`interrupted: checkpoint saved in ${join(outDir, 'checkpoint.bin')}; continue with --resume`);
      return { metrics: result.metrics, outDir, stopped: result.stopped };
    }
    const files = await writeRunMetrics(outDir, result.metrics).catch((error: unknown) => {
      if (!(error instanceof MetricsWriteError)) throw error;
      throw new UsageError(
        `${error.message}; the run is complete in ${join(outDir, 'checkpoint.bin')}: free some space, ` +
          'then rerun the same command with --resume to write the metrics',
      );
    });
    const s = summarizeRun(result.metrics);
    io.out(
      `${label}: ${s.epochs} epoch(s), val acc ${pct(s.finalValAccuracy)}, activation ${pct(s.activationRate)}` +
        `${s.targetActivationRate !== null ? ` (target ${pct(s.targetActivationRate)})` : ''}, ` +
        `energy saved ${s.energySavedPercent.toFixed(1)}%, ${s.trainSeconds.toFixed(1)} s training` +
        (result.stopped === 'budget' ? ' (stopped by the budget)' : ''),
    );
    io.out(`wrote ${files.join(', ')}`);
    return { metrics: result.metrics, outDir, stopped: result.stopped };
  } finally {
    progress.stop();
    model.dispose();
  }
}
