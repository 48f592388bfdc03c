/**
 * The two functions a conformance suite (`describeGate`, `describeScorer`)
 * needs from a test framework: vitest's, jest's, mocha's and `node:test`'s all
 * fit, so the suites depend on none of them.
 */
export interface TestFramework {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => void | Promise<void>): unknown;
}

/**
 * The framework a suite was given, else the global `describe` / `it` (vitest
 * with `globals`, jest, mocha); throws naming what to pass when there is none.
 */
export function testFrameworkOf(suite: string, given?: TestFramework): TestFramework {
  if (given) return given;
  const g = globalThis as { describe?: unknown; it?: unknown };
  if (typeof g.describe === 'function' && typeof g.it === 'function') return g as TestFramework;
  throw new TypeError(
    `${suite}: no test framework: pass its describe and it, e.g. ` +
      `import { describe, it } from 'vitest'; ${suite}('mine', make, { describe, it })`,
  );
}
