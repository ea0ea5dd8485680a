import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Categories run one after the other, in the order of their file names (01-…, 02-…). */
class ByFileName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

// The container test suite (docker/tests). Run it with docker/ci/run-container-tests.sh
// (`npm run test:containers`), which starts the engine and services and builds the images.
export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  test: {
    name: 'containers',
    include: ['docker/tests/**/*.spec.ts'],
    environment: 'node',
    globalSetup: ['docker/tests/global-setup.ts'],
    reporters: ['default', './docker/tests/summary-reporter.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 5 * 60_000,
    hookTimeout: 20 * 60_000,
    sequence: { sequencer: ByFileName },
  },
});
