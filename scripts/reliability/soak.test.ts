import { expect, it } from 'vitest';
import { runSoak } from './soak.js';

// The reduced CI form of the soak (the full one, 10,000 steps: `npm run soak`).
it('400 steps of the tiny preset: tensors flat, RSS bounded, activation within ±20 % of the target', async () => {
  // Warm-up past the first validation (step 188), where the WASM heap grows to its working size.
  const report = await runSoak({ steps: 400, window: 50, warmup: 200 });
  expect(report.steps).toBe(400);
  expect(report.tensorsEnd).toBe(report.tensorsStart);
  expect(report.holds).toEqual({ tensors: true, rss: true, rate: true });
}, 180_000);
