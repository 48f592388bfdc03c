import type { BaselineTiming, RunMetrics, TrainingMode } from '@sundew/types';
import { METRICS_SCHEMA } from '@sundew/types';

/** Options of a fixture run: clearly made-up numbers with a known shape, for structural tests only. */
export interface FixtureOptions {
  label?: string;
  mode?: TrainingMode;
  epochs?: number;
  batchesPerEpoch?: number;
  batchSize?: number;
  validation?: boolean;
  baselines?: BaselineTiming[];
  epochSeconds?: number;
  target?: number;
  /** Extra entries of `run.config` (e.g. `dataset`, `gate`, `scorer`, `seed`). */
  config?: Record<string, string | number>;
  /** Accuracy added to every epoch (0–1): seeds that differ. */
  accuracyOffset?: number;
}

/** A synthetic `RunMetrics` (fixture, not a measurement). */
export function fixtureRun(o: FixtureOptions = {}): RunMetrics {
  const epochs = o.epochs ?? 3;
  const per = o.batchesPerEpoch ?? 10;
  const size = o.batchSize ?? 100;
  const mode = o.mode ?? 'sparse';
  const rate = mode === 'full' ? 1 : (o.target ?? 0.1);
  const seconds = o.epochSeconds ?? 10;
  const batches = Array.from({ length: epochs * per }, (_, i) => {
    const activated = mode === 'full' ? size : Math.round(size * rate * (0.8 + (0.4 * ((i * 7) % 5)) / 4));
    return {
      epoch: Math.floor(i / per),
      batch: i % per,
      batchSize: size,
      activated,
      threshold: mode === 'full' ? Number.NaN : 0.5 + 0.1 * Math.sin(i / 5),
      loss: 2 * Math.exp(-i / (epochs * per)),
      energyConsumed: activated * 10 + (size - activated) * 0.1,
      energyBaseline: size * 10,
      stepSeconds: seconds / per,
    };
  });
  let elapsed = 0;
  return {
    schema: METRICS_SCHEMA,
    run: {
      label: o.label ?? mode,
      mode,
      startedAt: '2026-01-01T00:00:00.000Z',
      config: { fixture: true, ...o.config },
      ...(mode === 'full' ? {} : { targetActivationRate: rate }),
    },
    environment: { backend: 'fixture', node: 'v20', platform: 'linux', arch: 'x64', cores: 2 },
    epochs: Array.from({ length: epochs }, (_, e) => {
      const own = batches.filter((b) => b.epoch === e);
      const active = own.reduce((s, b) => s + b.activated, 0);
      const consumed = own.reduce((s, b) => s + b.energyConsumed, 0);
      const baseline = own.reduce((s, b) => s + b.energyBaseline, 0);
      elapsed += seconds;
      return {
        epoch: e,
        trainLoss: 2 - e * 0.3,
        valLoss: o.validation === false ? null : 1.8 - e * 0.2,
        valAccuracy: o.validation === false ? null : 0.4 + 0.1 * e + (o.accuracyOffset ?? 0),
        activationRate: active / (per * size),
        energySavedPercent: (100 * (baseline - consumed)) / baseline,
        samplesProcessed: active,
        samplesSkipped: per * size - active,
        epochSeconds: seconds,
        validationSeconds: 1,
        elapsedSeconds: elapsed,
        batches: per,
      };
    }),
    batches,
    baselines: o.baselines ?? [],
    notes: [],
  };
}
