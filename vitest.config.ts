import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests share one Redis and real ports; files run in parallel, each with its own key prefix.
    pool: 'forks',
  },
});
