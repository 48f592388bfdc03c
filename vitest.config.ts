import { defineConfig } from 'vitest/config';

// One root config that knows every package; each package also runs alone
// (`npm test -w @sundew/gate`) through its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'examples/*',
      { test: { name: 'hygiene', include: ['scripts/hygiene.test.ts'] } },
    ],
  },
});
