import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Runtime imports (type-only ones are erased) of a source file. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)].map(
    (m) => m[1]!,
  );

describe('@sundew/trainer/step', () => {
  it('reaches no Node API and no Node-only package (a browser worker can drive the engine)', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
        else packages.add(spec);
      }
    };
    visit(join(here, 'index.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect([...packages].filter((p) => p.startsWith('node:'))).toEqual([]);
    // Only tensor packages and the file-free parts of ours.
    expect([...packages].sort()).toEqual([
      '@sundew/data/samples',
      '@sundew/gate', // no Node API in it (InfoBatch's mean)
      '@sundew/kernels',
      '@tensorflow/tfjs-core',
    ]);
  });
});
