import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readRunMetrics } from '@sundew/metrics';
import { readCheckpoint } from '@sundew/trainer';
import type { ImageDataset, RunMetrics } from '@sundew/types';
import { UsageError } from './errors.js';
import { flagOf } from './load-config.js';
import type { TrainConfig } from './train-config.js';

/** Options that only AST uses: a full-training run neither uses nor records them. */
export const SPARSE_ONLY = ['scorer', 'gate', 'targetRate', 'selection', 'reweight', 'warmupEpochs'] as const;

/** The fallback of the trainer: a batch whose gate picks no sample trains this many at random. */
export const FALLBACK_SAMPLES = 2;

/**
 * `sundew train` flags that contradict `--mode` (compare sets its runs' modes
 * itself, so it is not checked here): a full run given AST's options.
 */
export function checkModeFlags(config: TrainConfig): void {
  checkBudgets(config);
  if (config.mode !== 'full') return;
  const given = SPARSE_ONLY.filter((k) => (k === 'warmupEpochs' ? config[k] > 0 : config[k] !== undefined));
  if (given.length === 0) return;
  throw new UsageError(
    `--mode full trains on every sample: ${given.map(flagOf).join(', ')} ${given.length > 1 ? 'do' : 'does'} not apply; ` +
      'drop them, or use --mode sparse',
  );
}

/** One budget per run: seconds or sample passes. */
export function checkBudgets(config: Pick<TrainConfig, 'budgetSeconds' | 'budgetSamples'>): void {
  if (config.budgetSeconds !== undefined && config.budgetSamples !== undefined) {
    throw new UsageError(
      '--budget-seconds and --budget-samples are two budgets for one run: keep one (--budget-samples does not drift with the machine)',
    );
  }
}

/**
 * Settings that would make an AST run something else than it says: errors
 * for what cannot work, warnings (returned) for what works less than asked.
 */
export function checkSparseSettings(
  config: TrainConfig,
  resolved: { targetRate: number; selection: string },
): string[] {
  if (config.mode !== 'sparse') return [];
  // Checked before the gate is built (the data comes first): infobatch is the one gate without a rate.
  const holdsRate = config.gate !== 'infobatch';
  if (!holdsRate && config.targetRate !== undefined) {
    throw new UsageError(
      `--target-rate ${config.targetRate} with --gate infobatch: InfoBatch holds no rate (it keeps every sample at or above the batch's mean score and each one below it with probability 1 − prune), ` +
        'so the rate would be ignored; drop --target-rate, or use a gate that holds one (sundew, top-k)',
    );
  }
  if (config.batchSize === 1) {
    throw new UsageError(
      `--batch-size 1: AST picks samples within a batch, and a batch of one is always trained (when the gate picks none the trainer trains ${FALLBACK_SAMPLES} at random); ` +
        `use --batch-size 2 or more (e.g. 128), or --mode sample for one sample per step`,
    );
  }
  if (!config.budgetSeconds && !config.budgetSamples && config.warmupEpochs >= config.epochs) {
    throw new UsageError(
      `--warmup-epochs ${config.warmupEpochs}: with --epochs ${config.epochs} every epoch is a full-training warm-up and none uses AST; ` +
        'use fewer warm-up epochs than --epochs, or --mode full',
    );
  }
  const floor = FALLBACK_SAMPLES / config.batchSize;
  if (holdsRate && resolved.targetRate < floor) {
    const needed = Math.ceil(FALLBACK_SAMPLES / resolved.targetRate);
    return [
      `warning: --target-rate ${resolved.targetRate} is below what batches of ${config.batchSize} can hold: when the gate picks no sample the trainer trains ${FALLBACK_SAMPLES} at random, ` +
        `so at least ${FALLBACK_SAMPLES}/${config.batchSize} = ${(100 * floor).toFixed(1)} % are trained; for ${resolved.targetRate} use --batch-size ${needed} or more`,
    ];
  }
  return [];
}

/**
 * `--limit-train` / `--limit-test` against the data loaded: fewer images than
 * classes is an error (a class-balanced subset needs one per class), more than
 * the set holds a warning (all are used).
 */
export function checkLimits(
  config: TrainConfig,
  loaded: { train: ImageDataset; test: ImageDataset },
): string[] {
  const warnings: string[] = [];
  for (const [key, set] of [
    ['limitTrain', loaded.train],
    ['limitTest', loaded.test],
  ] as const) {
    const limit = config[key];
    if (limit === undefined) continue;
    if (limit < set.numClasses) {
      throw new UsageError(
        `${flagOf(key)} ${limit}: fewer images than the ${set.numClasses} classes of ${set.name}; ` +
          `a class-balanced subset needs at least ${set.numClasses} (one per class)`,
      );
    }
    // Synthetic data is generated with the limit as its size.
    if (config.dataset !== 'synthetic' && limit > set.count) {
      warnings.push(
        `warning: ${flagOf(key)} ${limit}: ${set.name} has ${set.count.toLocaleString('en')} images; using all of them`,
      );
    }
  }
  return warnings;
}

/** The files of a run in its `--out` folder. */
const RUN_FILES = ['metrics.json', 'epochs.csv', 'batches.csv', 'checkpoint.bin', 'checkpoint.bin.prev'];

/** What `prepareOutDir` found: a finished run to report instead of training again, and warnings. */
export interface OutDirState {
  finished: RunMetrics | null;
  warnings: string[];
  /** Remove the files of the run being replaced: called once the new run is set up, just before it trains. */
  clear: () => Promise<void>;
}

const nothing = async () => {};

/**
 * The `--out` folder before a run. Without `--resume`, a run already there is
 * replaced: said, and its files removed (so no old `checkpoint.bin.prev` stays
 * beside the new run's checkpoints). With `--resume`: a finished run (same
 * epochs) is reported, not retrained; more epochs than the run was started
 * with is said (the cosine schedule stretches); fewer than it trained is an error.
 */
export async function prepareOutDir(config: TrainConfig, outDir: string): Promise<OutDirState> {
  const metricsFile = join(outDir, 'metrics.json');
  const checkpointFile = join(outDir, 'checkpoint.bin');
  const hasMetrics = existsSync(metricsFile);
  const hasCheckpoint = existsSync(checkpointFile) || existsSync(`${checkpointFile}.prev`);
  if (!config.resume) {
    if (!hasMetrics && !hasCheckpoint) return { finished: null, warnings: [], clear: nothing };
    return {
      finished: null,
      clear: async () => {
        await Promise.all(RUN_FILES.map((f) => rm(join(outDir, f), { force: true })));
      },
      warnings: [
        hasMetrics
          ? `warning: --out ${outDir}: replacing the finished run there (metrics.json, CSVs, checkpoints); to keep it, train into another --out`
          : `warning: --out ${outDir}: discarding the unfinished run there (checkpoint.bin); continue it with --resume instead`,
      ],
    };
  }
  const previous = hasMetrics
    ? await readRunMetrics(metricsFile).catch(() => null)
    : hasCheckpoint
      ? await checkpointMetrics(checkpointFile)
      : null;
  const startedWith = previous?.run.config['epochs'];
  if (typeof startedWith !== 'number') return { finished: null, warnings: [], clear: nothing };
  const trained = previous!.epochs.filter((e) => !e.partial).length;
  if (config.epochs < trained) {
    throw new UsageError(
      `--epochs ${config.epochs}: the run in ${outDir} has already trained ${trained} epochs; resume with --epochs ${startedWith}, or train into another --out`,
    );
  }
  if (hasMetrics && config.epochs === startedWith)
    return { finished: previous, warnings: [], clear: nothing };
  if (config.epochs !== startedWith) {
    return {
      finished: null,
      clear: nothing,
      warnings: [
        `warning: --epochs ${config.epochs}: the run in ${outDir} was started with --epochs ${startedWith}; its cosine schedule now spans ${config.epochs} epochs from here on, ` +
          `so it will not match a run trained with --epochs ${config.epochs} from the start`,
      ],
    };
  }
  return { finished: null, warnings: [], clear: nothing };
}

/** The metrics a checkpoint holds (null when it cannot be read: the trainer then says why). */
async function checkpointMetrics(path: string): Promise<RunMetrics | null> {
  const cp = await readCheckpoint(path, () => {}).catch(() => null);
  if (!cp) return null;
  for (const t of cp.tensors.values()) t.dispose();
  return cp.state.metrics;
}
