import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// deploy/: validation of docker-compose.development.yml and docker-compose.production.yml
// (Compose v2, the Swarm loader, and the apps' configuration loader). Needs no service.
// `root` keeps paths relative to this folder, with --config and as a workspace project alike.
export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'compose',
    include: ['tests/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
