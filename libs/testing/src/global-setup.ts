import type { TestProject } from 'vitest/node';
import { TEST_SERVICE_VARIABLES } from './test-services';
import { startTestcontainers } from './testcontainers';

/**
 * Vitest global setup: uses XORB_TEST_* when set (CI, scripts/services.sh),
 * otherwise starts the services with testcontainers and exports their URLs
 * to the test workers, which are spawned after this runs.
 */
export default async function setup(_project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (
    process.env[TEST_SERVICE_VARIABLES.postgresAdminUrl] &&
    process.env[TEST_SERVICE_VARIABLES.redisUrl] &&
    process.env[TEST_SERVICE_VARIABLES.temporalAddress]
  ) {
    return undefined;
  }
  const started = await startTestcontainers();
  process.env[TEST_SERVICE_VARIABLES.postgresAdminUrl] = started.services.postgresAdminUrl;
  process.env[TEST_SERVICE_VARIABLES.redisUrl] = started.services.redisUrl;
  process.env[TEST_SERVICE_VARIABLES.temporalAddress] = started.services.temporalAddress;
  return started.stop;
}
