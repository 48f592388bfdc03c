import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packages = [
  'types',
  'gate',
  'metrics',
  'significance',
  'kernels',
  'vit',
  'data',
  'trainer',
  'plot',
  'cli',
];

/** Shared test settings: our packages resolve to their sources, so tests never need a prior build. */
export const shared = defineConfig({
  resolve: {
    alias: packages.map((name) => ({
      find: new RegExp(`^@sundew/${name}$`),
      replacement: `${root}packages/${name}/src/index.ts`,
    })),
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
