import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// nginx/: `nginx -t` on the configuration, and real nginx in front of real API processes.
// `root` keeps paths relative to this folder, with --config and as a workspace project alike.
export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'nginx',
    include: ['tests/**/*.spec.ts'],
    environment: 'node',
    globalSetup: ['../libs/testing/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
