import { defineConfig } from 'vitest/config';

/**
 * Tests that time the server under attack (/health within 200 ms while hostile input arrives) or that
 * race a worker's death against the relay (or a Redis primary's against its workers): they measure this machine, so they run after the rest, one
 * file at a time, on a quiet machine (two cores shared with the parallel files made them flake).
 */
const QUIET = [
  'test/bounces/hostile-bounce-server.test.ts',
  'test/desk/draft-preview-load.test.ts',
  'test/desk/image-bombs.test.ts',
  'test/send/stall.test.ts',
  'test/send/sentinel-failover.test.ts',
];

const shared = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      {
        // Tests share one Redis and real ports; files run in parallel, each with its own key prefix.
        test: {
          ...shared,
          name: 'suite',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: QUIET,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'quiet',
          include: QUIET,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
