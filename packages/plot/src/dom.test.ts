import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Runtime imports (type-only ones are erased) of a source file, side-effect imports included. */
const importsOf = (file: string): string[] =>
  [
    ...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'"]*?from\s+)?'([^']+)'/gm),
  ].map((m) => m[1]!);

/** Every package a source entry reaches through its relative imports. */
function packagesOf(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(join(here, entry));
  return { files, packages };
}

describe('@sundew/plot/dom', () => {
  it('reaches neither jsdom, resvg, Node APIs nor the whole d3 bundle (a page can import it)', () => {
    const { files, packages } = packagesOf('dom.ts');
    expect(files.size).toBeGreaterThan(10);
    expect([...packages].sort()).toEqual([
      'd3-array',
      'd3-axis',
      'd3-format',
      'd3-scale',
      'd3-selection',
      'd3-shape',
    ]);
  });

  it('the Node entry adds jsdom and resvg to the same figures', () => {
    const { packages } = packagesOf('index.ts');
    expect(packages.has('jsdom')).toBe(true);
    expect(packages.has('@resvg/resvg-js')).toBe(true);
  });
});
