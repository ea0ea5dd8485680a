import { defineConfig } from 'vitest/config';

// One test run for the whole workspace: every app and lib is a vitest project.
// Tests that need real services get them from libs/testing (XORB_TEST_* URLs,
// or testcontainers where an engine can pull images).
export default defineConfig({
  test: {
    projects: [
      'apps/*/vitest.config.mts',
      'libs/*/vitest.config.mts',
      'nginx/vitest.config.mts',
      'monitoring/vitest.config.mts',
      'deploy/vitest.config.mts',
    ],
    reporters: ['default', './tools/test/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
