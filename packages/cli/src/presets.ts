import type { TrainConfig } from './train-config.js';

/** What a preset decides when the user did not: scorer, gate, learning rate, selection. */
export interface Recipe {
  scorer: string;
  gate: string;
  lr: number;
  selection: 'per-batch' | 'buffered';
  reweight: 'none' | 'infobatch';
  warmupEpochs: number;
}

/**
 * `reference`: the original standalone script (batch-relative score, its gate
 * gains, lr 1e-4, one sub-batch step per batch), to reproduce it.
 * `default`: Sundew's recipe: the same score and step, with the converging gate
 * and a learning rate the tiny model trains at.
 */
export function recipeFor(config: TrainConfig): Recipe {
  if (config.preset === 'reference') {
    return {
      scorer: 'batch-relative',
      gate: 'sundew-script',
      lr: 1e-4,
      selection: 'per-batch',
      reweight: 'none',
      warmupEpochs: 0,
    };
  }
  return {
    scorer: 'batch-relative',
    gate: 'sundew',
    lr: config.model === 'tiny' ? 1e-3 : 1e-4,
    selection: 'per-batch',
    reweight: 'none',
    warmupEpochs: 0,
  };
}
