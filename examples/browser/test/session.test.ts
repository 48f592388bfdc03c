import { loadFashionMnist } from '@sundew/data';
import { parseRunMetrics } from '@sundew/metrics';
import { selectBackend } from '@sundew/vit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { metricsText } from '../src/page/live-runs.js';
import { checkRunConfig } from '../src/run/config.js';
import { type SessionEvent, TrainingSession } from '../src/run/session.js';

const data = async () => ({
  train: await loadFashionMnist({ split: 'train', source: 'bundled' }),
  test: await loadFashionMnist({ split: 'test', source: 'bundled' }),
});
const env = { backend: 'wasm', threads: 1, runtime: 'node (test)' };

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('TrainingSession (the page worker’s loop, run in Node)', () => {
  it('an equal-seconds budget ends every run by its training time, the last epoch partial', async () => {
    const config = checkRunConfig({
      model: 'micro',
      budgetKind: 'seconds',
      budgetValue: '1.5',
      limitTrain: '2560',
      limitTest: '100',
      batchSize: 64,
    });
    const session = new TrainingSession(config, await data(), env);
    const before = tf.memory().numTensors;
    const events: SessionEvent[] = [];
    while (session.running) events.push(...session.step());
    const metrics = session.metrics();
    session.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
    for (const m of metrics) {
      // What the page exports parses as a metrics.json file.
      parseRunMetrics(metricsText(m), m.run.label);
      const seconds = m.batches.reduce((s, b) => s + b.stepSeconds, 0);
      expect(seconds).toBeGreaterThanOrEqual(1.5);
      expect(m.epochs.at(-1)!.partial).toBe(true);
      expect(m.notes).toContain('stopped by the budget of 1.5 training seconds');
      expect(m.run.config['budget']).toBe('1.5 s');
    }
    // The runs took their batches in turn: the labels of consecutive batches alternate.
    const order = events.filter((e) => e.type === 'batch').map((e) => e.run);
    expect(new Set(order.slice(0, 3))).toEqual(new Set(['full', 'ast', 'random']));
  });

  it('stop() ends the open epochs as partial and marks every run stopped', async () => {
    const config = checkRunConfig({ model: 'micro', budgetValue: '5', limitTrain: '640', limitTest: '100' });
    const session = new TrainingSession(config, await data(), env);
    for (let i = 0; i < 4; i++) session.step();
    const events = session.stop();
    expect(session.running).toBe(false);
    expect(events.filter((e) => e.type === 'run-done')).toHaveLength(3);
    for (const m of session.metrics()) expect(m.notes).toContain('stopped from the page before its budget');
    session.dispose();
  });
});
