import { createGate } from '@sundew/gate';
import { createScorer } from '@sundew/significance';
import type { Gate, SignificanceScorer } from '@sundew/types';
import type { TrainConfig } from './train-config.js';

/** What a preset decides when the user did not: scorer, gate, learning rate, selection. */
export interface Recipe {
  scorer: string;
  gate: string;
  /** Activation rate the gate holds when `--target-rate` is not given. */
  targetRate: number;
  lr: number;
  selection: 'per-batch' | 'buffered';
  reweight: 'none' | 'infobatch';
  warmupEpochs: number;
}

/**
 * `reference`: the original standalone script (batch-relative score with its
 * scoring forward, its gate gains, rate 10 %, lr 1e-4, one sub-batch step per
 * batch), to reproduce it.
 * `default`: Sundew's recipe. Scores from the loss each sample had when last
 * trained on (no scoring forward), as a percentile the Sundew gate thresholds
 * (issue 9), guarded against wrong labels and spread over the classes (issue
 * 15, `stale-loss-guarded-balanced`): random scores while it probes the losses,
 * and for good once they show a mislabeled population; on a long-tailed set
 * (classes ≥ 1.5:1) as many samples of each class as the rate allows, at
 * random within each class (there the guard cannot vouch for the labels);
 * rate 30 % with an energy store that sustains it; a
 * step per batch on its active samples (small steps beat full-size buffered
 * ones at equal time); lr 2e-3 for the tiny ViT.
 */
export function recipeFor(config: Pick<TrainConfig, 'preset' | 'model'>): Recipe {
  if (config.preset === 'reference') {
    return {
      scorer: 'batch-relative',
      gate: 'sundew-script',
      targetRate: 0.1,
      lr: 1e-4,
      selection: 'per-batch',
      reweight: 'none',
      warmupEpochs: 0,
    };
  }
  return {
    scorer: 'stale-loss-guarded-balanced',
    gate: 'sundew',
    targetRate: 0.3,
    lr: config.model === 'tiny' ? 2e-3 : 1e-4,
    selection: 'per-batch',
    reweight: 'none',
    warmupEpochs: 0,
  };
}

/** What `selectionFor` built, and the names and rate it resolved. */
export interface Selection {
  scorer: SignificanceScorer;
  gate: Gate;
  scorerName: string;
  gateName: string;
  targetRate: number;
}

/**
 * The scorer and gate of a recipe, with the user's choices over it. Sundew's
 * own gate sizes its energy store for the target by itself; the originals keep theirs.
 */
export function selectionFor(
  recipe: Recipe,
  options: { scorer?: string; gate?: string; targetRate?: number; seed: number; datasetSize: number },
): Selection {
  const scorerName = options.scorer ?? recipe.scorer;
  const gateName = options.gate ?? recipe.gate;
  const targetRate = options.targetRate ?? recipe.targetRate;
  return {
    scorer: createScorer(scorerName, { seed: options.seed, datasetSize: options.datasetSize }),
    gate: createGate(gateName, { targetActivationRate: targetRate, seed: options.seed }),
    scorerName,
    gateName,
    targetRate,
  };
}
