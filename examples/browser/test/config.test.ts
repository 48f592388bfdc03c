import { recipeFor } from '@sundew/cli';
import { describe, expect, it } from 'vitest';
import { checkRunConfig, RECIPES, RunConfigError } from '../src/run/config.js';

describe('checkRunConfig', () => {
  it("defaults to the default recipe's rate, 3 epochs, all three runs", () => {
    expect(checkRunConfig({})).toEqual({
      recipe: 'default',
      targetRate: 0.3,
      model: 'tiny',
      budget: { kind: 'epochs', epochs: 3 },
      seed: 0,
      batchSize: 128,
      limitTrain: null,
      limitTest: null,
      runs: ['full', 'ast', 'random'],
    });
    expect(checkRunConfig({ recipe: 'reference', budgetKind: 'seconds', budgetValue: '30' })).toMatchObject({
      targetRate: 0.1,
      budget: { kind: 'seconds', seconds: 30 },
    });
  });

  it('has the recipes of sundew train --preset', () => {
    for (const preset of ['default', 'reference'] as const) {
      const r = recipeFor({ preset, model: 'tiny' });
      expect(RECIPES[preset]).toEqual({ scorer: r.scorer, gate: r.gate, targetRate: r.targetRate, lr: r.lr });
    }
  });

  it.each([
    [
      { targetRate: '1.5' },
      'targetRate',
      'target rate must be in (0, 1], e.g. 0.3 for 30 % of the samples; received 1.5',
    ],
    [{ targetRate: '0' }, 'targetRate', 'received 0'],
    [{ targetRate: 'lots' }, 'targetRate', 'target rate must be a number; received "lots"'],
    [{ budgetValue: '0' }, 'budgetValue', 'budget: epochs must be a whole number from 1 to 100; received 0'],
    [{ budgetValue: '2.5' }, 'budgetValue', 'received 2.5'],
    [{ budgetKind: 'seconds', budgetValue: '0' }, 'budgetValue', 'seconds per run must be more than 0'],
    [{ budgetKind: 'minutes' }, 'budgetKind', 'budget must be one of epochs, seconds; received "minutes"'],
    [{ recipe: 'fast' }, 'recipe', 'recipe must be one of default, reference; received "fast"'],
    [{ model: 'huge' }, 'model', 'model must be one of tiny, micro'],
    [{ seed: '-1' }, 'seed', 'seed must be a whole number from 0 to 2147483647; received -1'],
    [{ limitTrain: '5' }, 'limitTrain', 'training images must be a whole number from 10 to 6000; received 5'],
    [{ runs: ['ast', 'best'] }, 'runs', 'runs must be a non-empty list of full, ast, random'],
  ])('refuses %j, naming %s', (raw, field, text) => {
    let error: unknown;
    try {
      checkRunConfig(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunConfigError);
    expect((error as RunConfigError).field).toBe(field);
    expect((error as Error).message).toContain(text);
  });
});
