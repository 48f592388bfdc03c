import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { runKillResume } from './kill-resume.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The reduced CI form of the kill suite (the full one: `npm run test:kill`).
it('SIGKILLed at 3 random points and resumed, a run ends exactly where an uninterrupted one does', async () => {
  const report = await runKillResume({ kills: 3, seed: 2 });
  expect(report.attempts.filter((a) => a.outcome === 'killed').length).toBeGreaterThanOrEqual(2);
  expect(report.attempts.at(-1)!.outcome).toBe('finished');
  expect(report.sameWeights).toBe(true);
  expect(report.sameMetrics).toBe(true);
  expect(report.leftoverTemps).toEqual([]);
}, 120_000);
