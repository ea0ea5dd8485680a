/**
 * Where the real services for tests are. `scripts/services.sh env` (CI, Linux
 * without images) or the testcontainers global setup (a laptop with an engine)
 * fill these variables before any test runs.
 */
export interface TestServices {
  /** Superuser URL: tests create and drop their own databases with it. */
  postgresAdminUrl: string;
  redisUrl: string;
  temporalAddress: string;
  /** Docker engine socket, when one is running (container tests). */
  dockerHost: string | undefined;
}

export const TEST_SERVICE_VARIABLES = {
  postgresAdminUrl: 'XORB_TEST_PG_ADMIN_URL',
  redisUrl: 'XORB_TEST_REDIS_URL',
  temporalAddress: 'XORB_TEST_TEMPORAL_ADDRESS',
  dockerHost: 'XORB_TEST_DOCKER_HOST',
} as const;

export function testServices(env: NodeJS.ProcessEnv = process.env): TestServices {
  const missing = [
    TEST_SERVICE_VARIABLES.postgresAdminUrl,
    TEST_SERVICE_VARIABLES.redisUrl,
    TEST_SERVICE_VARIABLES.temporalAddress,
  ].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `test services are not configured (${missing.join(', ')} unset): run 'eval "$(scripts/services.sh env)"' after 'scripts/services.sh up', or run the tests where Docker can pull images`,
    );
  }
  return {
    postgresAdminUrl: env[TEST_SERVICE_VARIABLES.postgresAdminUrl] as string,
    redisUrl: env[TEST_SERVICE_VARIABLES.redisUrl] as string,
    temporalAddress: env[TEST_SERVICE_VARIABLES.temporalAddress] as string,
    dockerHost: env[TEST_SERVICE_VARIABLES.dockerHost] || undefined,
  };
}
