import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    projects: ['nginx/vitest.config.mts', 'monitoring/vitest.config.mts', 'deploy/vitest.config.mts'],
  },
});
