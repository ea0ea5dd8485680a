import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// tools/docker-build: tools/scripts/docker-build.sh against the real local Docker engine
// (XORB_TEST_DOCKER_HOST from `scripts/services.sh env`) and the loopback services.
// The global setup builds the three production images once under a throwaway image prefix;
// files run one at a time (builds and stacks share the engine and two cores).
// `root` keeps paths relative to this folder, with --config and as a workspace project alike.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'docker-build',
    include: ['tests/**/*.spec.ts'],
    environment: 'node',
    globalSetup: ['./tests/global-setup.ts'],
    reporters: ['default', '../test/summary-reporter.ts'],
    fileParallelism: false,
    testTimeout: 10 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
