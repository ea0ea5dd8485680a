import { setTimeout as sleep } from 'node:timers/promises';
import {
  assertEmbeddingDimensions,
  createPool,
  EmbeddingDimensionsMismatch,
  postgresReadiness,
} from '@xorb/db';
import { createEmbeddingProvider } from '@xorb/embeddings';
import { closeProducers, openProducers } from '@xorb/queues';
import { closeServer, runService, startOpsServer, type DependencyCheck } from '@xorb/observability';
import { closeRedis, createRedisConnection, redisReadiness } from '@xorb/redis';
import { temporalReadiness } from '@xorb/temporal';
import { createActivities } from './activities';
import { installTemporalRuntime } from './temporal-runtime';
import { createTemporalWorker, type TemporalWorkerHandle } from './temporal-worker';

void runService('orchestrator', async ({ config, logger, registry, shutdown }) => {
  installTemporalRuntime(logger);
  const pool = createPool(config.database, { applicationName: 'xorb-orchestrator', logger });
  const redis = createRedisConnection(config.redis, { connectionName: 'xorb-orchestrator', logger });
  const producers = openProducers(config.redis, redis, logger);
  const embedder = createEmbeddingProvider(config.embeddings, { logger, registry });
  await assertEmbeddingDimensions(pool, config).catch((error: unknown) => {
    if (error instanceof EmbeddingDimensionsMismatch) throw error;
    logger.warn(
      { error: String(error) },
      'Could not check the embedding column yet (database unreachable or not migrated)',
    );
  });
  const activities = createActivities({ config, pool, producers, embedder, logger, registry });
  let temporal: TemporalWorkerHandle | undefined;

  const temporalCheck: DependencyCheck = {
    name: 'temporal',
    async check(signal) {
      if (!temporal) throw new Error(`not connected to ${config.temporal.address} yet`);
      await temporalReadiness(temporal.connection).check(signal);
    },
  };
  const ops = await startOpsServer({
    service: 'orchestrator',
    host: config.orchestratorService.host,
    port: config.orchestratorService.port,
    logger,
    registry,
    checks: [temporalCheck, postgresReadiness(pool), redisReadiness(redis)],
    isDraining: () => shutdown.isShuttingDown,
  });
  logger.info(
    { port: config.orchestratorService.port, env: config.env },
    'Orchestrator health endpoints listening',
  );

  let running: Promise<void> | undefined;
  shutdown.register('temporal worker', async () => {
    if (temporal?.worker.getState() === 'RUNNING') temporal.worker.shutdown();
    await running;
  });
  shutdown.register('temporal connection', () => temporal?.connection.close());
  shutdown.register('ops server', () => closeServer(ops));
  shutdown.register('queue producers', () => closeProducers(producers));
  shutdown.register('redis', () => closeRedis(redis));
  shutdown.register('postgres pool', () => pool.end());

  // Temporal may come up after us (compose start order): keep trying instead of crash-looping.
  for (let attempt = 1; !temporal && !shutdown.isShuttingDown; attempt += 1) {
    try {
      temporal = await createTemporalWorker(config, logger, activities);
    } catch (error) {
      const delay = Math.min(1_000 * attempt, 10_000);
      logger.warn(
        { error: error instanceof Error ? error.message : String(error), attempt, retry_in: delay / 1000 },
        'Temporal is not reachable; retrying',
      );
      await sleep(delay);
    }
  }
  if (!temporal) return;
  running = temporal.worker.run().catch((error: unknown) => {
    logger.fatal({ error }, 'Temporal worker stopped unexpectedly');
    void shutdown.shutdown('temporal worker failure').then(() => process.exit(1));
  });
});
