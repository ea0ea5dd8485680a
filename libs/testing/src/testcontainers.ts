import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { TestServices } from './test-services';

/** The official images a developer's engine can pull. */
export const TEST_IMAGES = {
  postgres: 'pgvector/pgvector:pg17',
  redis: 'redis:7.4-bookworm',
  temporal: 'temporalio/temporal:1.5.1',
} as const;

/** Starts PostgreSQL with pgvector, Redis and a Temporal dev server; ports published on 127.0.0.1. */
export async function startTestcontainers(): Promise<{
  services: Omit<TestServices, 'dockerHost'>;
  stop: () => Promise<void>;
}> {
  // No registry for Ryuk's image on build machines; containers are stopped by `stop` instead.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const [postgres, redis, temporal] = await Promise.all([
    new GenericContainer(TEST_IMAGES.postgres)
      .withEnvironment({ POSTGRES_USER: 'xorb', POSTGRES_PASSWORD: 'xorb', POSTGRES_DB: 'xorb' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer(TEST_IMAGES.redis)
      .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
      .withExposedPorts(6379)
      .start(),
    new GenericContainer(TEST_IMAGES.temporal)
      .withCommand(['server', 'start-dev', '--ip', '0.0.0.0', '--headless'])
      .withExposedPorts(7233)
      .withWaitStrategy(Wait.forListeningPorts())
      .start(),
  ]);
  const url = (container: StartedTestContainer, port: number): string =>
    `${container.getHost()}:${container.getMappedPort(port)}`;
  return {
    services: {
      postgresAdminUrl: `postgres://xorb:xorb@${url(postgres, 5432)}/xorb`,
      redisUrl: `redis://${url(redis, 6379)}`,
      temporalAddress: url(temporal, 7233),
    },
    stop: async () => {
      await Promise.all([postgres.stop(), redis.stop(), temporal.stop()]);
    },
  };
}
