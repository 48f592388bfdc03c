import { defineConfig } from 'vitest/config';

// One root config that knows every package; each package also runs alone
// (`npm test -w @sundew/gate`) through its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'examples/*',
      {
        test: {
          name: 'hygiene',
          include: ['scripts/hygiene.test.ts', 'scripts/packaging/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      // Whole-system reliability (kill/resume, soak): child processes and the built packages.
      {
        test: {
          name: 'reliability',
          include: ['scripts/reliability/*.test.ts'],
          testTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
