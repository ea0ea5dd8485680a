import 'reflect-metadata';
import cluster from 'node:cluster';
import { connectTemporalClient, temporalReadiness } from '@xorb/temporal';
import { createPool, postgresReadiness } from '@xorb/db';
import { createEmbeddingProvider } from '@xorb/embeddings';
import { closeProducers, openProducers } from '@xorb/queues';
import { runService } from '@xorb/observability';
import { closeRedis, createRedisConnection, redisReadiness } from '@xorb/redis';
import { clusterMetrics, localMetrics } from './cluster/metrics-source';
import { runPrimary } from './cluster/primary';
import { createApiApp } from './create-app';
import { DEV_SEED, seedDevelopmentTenant } from './identity/provisioning';

void runService('api', async (context) => {
  if (context.config.apiService.workers > 1 && cluster.isPrimary) return runPrimary(context);
  const { config, logger, registry, shutdown } = context;
  const pool = createPool(config.database, { applicationName: 'xorb-api', logger });
  const redis = createRedisConnection(config.redis, { connectionName: 'xorb-api', logger });
  const temporal = connectTemporalClient(config.temporal);
  const producers = openProducers(config.redis, redis, logger);

  if (config.development.seed) {
    const seeded = await seedDevelopmentTenant(pool, config.security.apiKeyPepper);
    logger.warn(
      { tenant: DEV_SEED.tenant, created: seeded.created },
      'Development seed installed: tenant "dev" with the documented insecure admin key',
    );
  }

  const app = await createApiApp({
    config,
    logger,
    registry,
    shutdown,
    pool,
    redis,
    temporal: temporal.client,
    producers,
    embedder: createEmbeddingProvider(config.embeddings, { logger, registry }),
    metrics: cluster.isWorker ? clusterMetrics(registry) : localMetrics(registry),
    checks: [postgresReadiness(pool), redisReadiness(redis), temporalReadiness(temporal.connection)],
  });
  // Registered in the order they run: stop serving (in-flight requests finish), then close clients.
  shutdown.register('http server', () => app.close());
  shutdown.register('temporal client', () => temporal.connection.close());
  shutdown.register('queue producers', () => closeProducers(producers));
  shutdown.register('redis', () => closeRedis(redis));
  shutdown.register('postgres pool', () => pool.end());

  await app.listen({ port: config.apiService.port, host: config.apiService.host });
  logger.info({ port: config.apiService.port, env: config.env, pid: process.pid }, 'API listening');
});
