import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'orchestrator',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    globalSetup: ['../../libs/testing/src/global-setup.ts'],
  },
});
