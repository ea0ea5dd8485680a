import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// monitoring/: promtool checks and unit tests of the alert rules, the Grafana dashboards,
// and their PromQL against a real Prometheus scraping the real services.
// `root` keeps paths relative to this folder, with --config and as a workspace project alike.
export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'monitoring',
    include: ['tests/**/*.spec.ts'],
    environment: 'node',
    globalSetup: ['../libs/testing/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
