import type { SignificanceScorer } from '@sundew/types';
import { BatchRelativeScorer } from './batch-relative.js';
import { ClassBalancedScorer } from './class-balanced.js';
import { ScorerConfigError } from './errors.js';
import { GradientNormScorer } from './gradient-norm.js';
import { LossEntropyScorer } from './loss-entropy.js';
import { LossPercentileScorer } from './loss-percentile.js';
import { type NoiseAwareOptions, NoiseAwareScorer } from './noise-aware.js';
import { RandomScorer } from './random.js';
import { StaleLossScorer } from './stale-loss.js';

/** Names `createScorer` knows (what the CLI's `--scorer` takes). */
export const scorerNames = [
  'batch-relative',
  'loss-entropy',
  'stale-loss',
  'random',
  'gradient-norm',
  'loss-percentile',
  'stale-loss-percentile',
  'stale-loss-guarded',
  'stale-loss-guarded-balanced',
  'random-balanced',
  'stale-loss-filtered-balanced',
  'stale-loss-ranked-balanced',
  'stale-loss-cautious-balanced',
] as const;
export type ScorerName = (typeof scorerNames)[number];

/** Options shared by the named scorers. */
export interface CreateScorerOptions {
  seed?: number;
  datasetSize?: number;
}

/** Build a scorer by name. */
export function createScorer(name: string, options: CreateScorerOptions = {}): SignificanceScorer {
  const size = options.datasetSize !== undefined ? { datasetSize: options.datasetSize } : {};
  switch (name as ScorerName) {
    case 'batch-relative':
      return new BatchRelativeScorer();
    case 'loss-entropy':
      return new LossEntropyScorer();
    case 'stale-loss':
      return new StaleLossScorer(size);
    case 'random':
      return new RandomScorer({ seed: options.seed ?? 0 });
    case 'gradient-norm':
      return new GradientNormScorer();
    case 'loss-percentile':
      return new LossPercentileScorer({ source: 'fresh' });
    case 'stale-loss-percentile':
      return new LossPercentileScorer({ source: 'stale', ...size });
    case 'stale-loss-guarded':
      return guarded(options, name);
    case 'stale-loss-guarded-balanced':
      // On a long tail the guard cannot vouch for the labels: random within each class there.
      return balanced(name, options, guarded(options, 'stale-loss-guarded', { onLongTail: 'random' }));
    case 'stale-loss-ranked-balanced':
      return balanced(name, options, guarded(options, 'stale-loss-guarded'));
    case 'stale-loss-filtered-balanced':
      return balanced(name, options, guarded(options, 'stale-loss-filtered', { onNoise: 'clean' }));
    case 'stale-loss-cautious-balanced':
      // The default's guard, but random while the labels are undecided (1.6 ≤ D < 2): measured, lost.
      return balanced(
        name,
        options,
        guarded(options, 'stale-loss-cautious', { onLongTail: 'random', clearBelow: 1.6 }),
      );
    case 'random-balanced':
      return balanced(name, options, new RandomScorer({ seed: options.seed ?? 0 }));
    default:
      throw new ScorerConfigError(`unknown scorer "${name}"; known scorers: ${scorerNames.join(', ')}`);
  }
}

function guarded(
  options: CreateScorerOptions,
  name: string,
  choices: Pick<NoiseAwareOptions, 'onNoise' | 'onLongTail' | 'clearBelow'> = {},
): NoiseAwareScorer {
  const size = options.datasetSize !== undefined ? { datasetSize: options.datasetSize } : {};
  return new NoiseAwareScorer(
    {
      ...size,
      seed: options.seed ?? 0,
      filter: 'guard',
      classRelative: true,
      separation: 2,
      explore: 0,
      ...choices,
    },
    name,
  );
}

/** `inner` with class-aware rates (power 1), named `name`. */
function balanced(
  name: string,
  options: CreateScorerOptions,
  inner: SignificanceScorer,
): ClassBalancedScorer {
  if (options.datasetSize === undefined) {
    throw new ScorerConfigError(`${name} needs the training set's size (datasetSize) to count its classes`);
  }
  return new ClassBalancedScorer(inner, { datasetSize: options.datasetSize, power: 1 }, name);
}
