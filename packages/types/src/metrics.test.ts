import { describe, expect, it } from 'vitest';
import { METRICS_SCHEMA } from './index.js';

describe('METRICS_SCHEMA', () => {
  it('names the versioned metrics format the plot package reads', () => {
    expect(METRICS_SCHEMA).toMatch(/^sundew\.metrics\/v\d+$/);
  });
});
