import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'queues',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
