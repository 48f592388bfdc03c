import { describe, expect, it } from 'vitest';
import { testFrameworkOf } from './test-framework.js';

describe('testFrameworkOf', () => {
  it('returns the framework it was given', () => {
    const given = { describe: () => {}, it: () => {} };
    expect(testFrameworkOf('describeGate', given)).toBe(given);
  });

  it('names what to pass when there is no framework (vitest without globals)', () => {
    expect(() => testFrameworkOf('describeGate')).toThrow(
      "describeGate: no test framework: pass its describe and it, e.g. import { describe, it } from 'vitest'; describeGate('mine', make, { describe, it })",
    );
  });
});
