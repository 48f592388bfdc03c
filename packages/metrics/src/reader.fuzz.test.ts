import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsFormatError, MetricsRecorder, parseRunMetrics, stringifyRunMetrics } from './index.js';

const env = { backend: 'cpu', node: 'v20', platform: 'linux', arch: 'x64', cores: 2 };

describe('metrics reader fuzz', () => {
  const rec = new MetricsRecorder({
    label: 'fuzz',
    mode: 'sparse',
    environment: env,
    targetActivationRate: 0.1,
  });
  rec.recordBatch({
    epoch: 0,
    batch: 0,
    batchSize: 8,
    activated: 1,
    threshold: 0.5,
    loss: 1,
    energyConsumed: 10.7,
    energyBaseline: 80,
    stepSeconds: 0.1,
  });
  rec.endEpoch({ epoch: 0, valLoss: 1, valAccuracy: 0.5, epochSeconds: 1, validationSeconds: 0.1 });
  const valid = stringifyRunMetrics(rec.toJSON());
  const check = (text: string) => {
    try {
      parseRunMetrics(text, 'fuzz.json');
    } catch (e) {
      expect(e).toBeInstanceOf(MetricsFormatError);
    }
  };

  it('random text, truncations and mutations give MetricsFormatError or a valid run, nothing else', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { seed: 1, numRuns: 300 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length }), (n) => check(valid.slice(0, n))),
      { seed: 2, numRuns: 200 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.string({ minLength: 1, maxLength: 3 }),
        (at, s) => check(valid.slice(0, at) + s + valid.slice(at + 1)),
      ),
      { seed: 3, numRuns: 300 },
    );
  });

  it('mutated JSON values of the right syntax are rejected by field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('epochs', 'batches', 'run', 'environment', 'baselines', 'notes'),
        fc.jsonValue(),
        (key, value) => {
          const doc = JSON.parse(valid);
          doc[key] = value;
          check(JSON.stringify(doc));
        },
      ),
      { seed: 4, numRuns: 300 },
    );
  });
});
