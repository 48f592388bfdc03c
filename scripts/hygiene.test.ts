import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Package hygiene: every package packs with its built code, its types and its
// README, and nothing else (no sources, tests or configs leak into npm).
const root = join(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages')).filter((d) =>
  existsSync(join(root, 'packages', d, 'package.json')),
);

interface PackResult {
  files: { path: string }[];
}

describe.each(packages)('@sundew/%s packs cleanly', (dir) => {
  const pkgDir = join(root, 'packages', dir);
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

  it('declares ESM, an exports map with types first, files and sideEffects', () => {
    expect(manifest.name).toBe(`@sundew/${dir}`);
    expect(manifest.type).toBe('module');
    expect(Object.keys(manifest.exports['.'])[0]).toBe('types');
    expect(manifest.files).toContain('dist');
    expect(manifest.sideEffects).toBeDefined();
  });

  it('packs dist code, declarations, README and the MIT LICENSE only', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: pkgDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [pack] = JSON.parse(out) as PackResult[];
    const files = pack!.files.map((f) => f.path);
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('LICENSE');
    expect(readFileSync(join(pkgDir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
    const stray = files.filter(
      (f) =>
        !/^(package\.json|README\.md|LICENSE|dist\/|assets\/|bin\/)/.test(f) || /\.test\.|\.bench\./.test(f),
    );
    expect(stray).toEqual([]);
  });
});

describe('generated documentation', () => {
  it("the gate README's tracking tables are the ones bench/gate-tracking.ts measured", async () => {
    const { renderTrackingSection } = await import('../bench/gate-readme.js');
    const data = JSON.parse(
      readFileSync(join(root, 'bench/results/gate-tracking/gate-tracking.json'), 'utf8'),
    );
    const readme = readFileSync(join(root, 'packages/gate/README.md'), 'utf8');
    expect(readme).toContain(
      `<!-- gate-tracking:start -->\n${renderTrackingSection(data)}\n<!-- gate-tracking:end -->`,
    );
  });
});
