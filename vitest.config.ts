import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/setup-file.ts'],
    pool: 'forks',
    // Most files wait on DynamoDB Local, not the CPU: vitest's default (cores − 1) runs them one
    // at a time on a 2-core CI machine. Three at once cut the suite's wall time (README, "npm test").
    maxWorkers: 3,
    // A hang guard, not a speed target: with three files at once a heavy test may take 1–2 min.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
