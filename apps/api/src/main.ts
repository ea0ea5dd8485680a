import 'reflect-metadata';
import { connectTemporalClient, temporalReadiness } from '@xorb/temporal';
import { createPool, postgresReadiness } from '@xorb/db';
import { runService } from '@xorb/observability';
import { closeRedis, createRedisConnection, redisReadiness } from '@xorb/redis';
import { createApiApp } from './create-app';

void runService('api', async ({ config, logger, registry, shutdown }) => {
  const pool = createPool(config.database, { applicationName: 'xorb-api', logger });
  const redis = createRedisConnection(config.redis, { connectionName: 'xorb-api', logger });
  const temporal = connectTemporalClient(config.temporal);

  const app = await createApiApp({
    config,
    logger,
    registry,
    shutdown,
    checks: [postgresReadiness(pool), redisReadiness(redis), temporalReadiness(temporal.connection)],
  });
  // Registered in the order they run: stop serving (in-flight requests finish), then close clients.
  shutdown.register('http server', () => app.close());
  shutdown.register('temporal client', () => temporal.connection.close());
  shutdown.register('redis', () => closeRedis(redis));
  shutdown.register('postgres pool', () => pool.end());

  await app.listen({ port: config.apiService.port, host: config.apiService.host });
  logger.info({ port: config.apiService.port, env: config.env }, 'API listening');
});
