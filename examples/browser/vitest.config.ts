import { defineConfig } from 'vitest/config';

// Not the shared config: the page and the Node reference run the built
// packages (dist), as the bundle does, so nothing is loaded twice.
export default defineConfig({
  test: {
    name: 'example-browser',
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
