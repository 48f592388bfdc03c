import { makeSyntheticDataset } from '@sundew/data';
import { describeGate } from '@sundew/gate/testing';
import { createScorer } from '@sundew/significance';
import { train } from '@sundew/trainer';
import { selectBackend } from '@sundew/vit';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedTopKGate } from './fixed-top-k-gate.js';
import { SmallMlp } from './small-mlp.js';

// A user's gate passes the same conformance suite as ours.
describeGate('FixedTopKGate (example)', () => new FixedTopKGate(5), { describe, it });

describe('custom parts compose with the trainer', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('trains a custom MLP with a custom gate', async () => {
    const data = makeSyntheticDataset({ count: 256, shape: [6, 6, 1], numClasses: 4, seed: 3 });
    const model = new SmallMlp([6, 6, 1], 4, 16);
    const { metrics } = await train({
      model,
      train: data,
      validation: data,
      scorer: createScorer('loss-entropy'),
      gate: new FixedTopKGate(16),
      epochs: 5,
      batchSize: 32,
      lr: 0.01,
    });
    expect(metrics.epochs.every((e) => e.activationRate === 0.5)).toBe(true);
    expect(metrics.epochs.at(-1)!.valAccuracy).toBeGreaterThan(0.8);
    model.dispose();
  });
});
