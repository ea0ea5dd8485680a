import type { Worker } from 'bullmq';
import { Counter } from 'prom-client';
import { QUEUE_NAMES } from '@xorb/contracts';
import {
  assertEmbeddingDimensions,
  createPool,
  EmbeddingDimensionsMismatch,
  postgresReadiness,
} from '@xorb/db';
import { createEmbeddingProvider } from '@xorb/embeddings';
import { closeServer, runService, startOpsServer } from '@xorb/observability';
import { closeProducers, openProducers } from '@xorb/queues';
import { closeRedis, createRedisConnection, redisReadiness } from '@xorb/redis';
import { createJobMetrics } from './job-metrics';
import { createMaintenanceProcessor } from './processors/maintenance.processor';
import { createReportsProcessor } from './processors/reports.processor';
import { createWebhooksProcessor, webhookBackoff } from './processors/webhooks.processor';
import { registerQueueMetrics } from './queues/queue-metrics';
import { createQueueWorker } from './queues/queue-worker';
import { MemoryGuard } from './resources/memory-guard';
import { scheduleMaintenance } from './schedules';

void runService('worker', async ({ config, logger, registry, shutdown }) => {
  const pool = createPool(config.database, { applicationName: 'xorb-worker', logger });
  // BullMQ workers block on Redis, so their connection retries forever.
  const redis = createRedisConnection(config.redis, {
    connectionName: 'xorb-worker',
    logger,
    blocking: true,
  });
  const producerConnection = createRedisConnection(config.redis, {
    connectionName: 'xorb-worker-producer',
    logger,
  });
  const producers = openProducers(config.redis, producerConnection, logger);
  const embedder = createEmbeddingProvider(config.embeddings, { logger, registry });
  await assertEmbeddingDimensions(pool, config).catch((error: unknown) => {
    if (error instanceof EmbeddingDimensionsMismatch) throw error;
    logger.warn(
      { error: String(error) },
      'Could not check the embedding column yet (database unreachable or not migrated)',
    );
  });

  const deliveries = new Counter({
    name: 'xorb_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, retryable, rejected, undeliverable, dead)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  let memory: MemoryGuard | undefined;
  const options = { config, connection: redis, logger, isPaused: () => memory?.isPaused ?? false };
  const workers: Worker[] = [
    createQueueWorker(
      QUEUE_NAMES.maintenance,
      createMaintenanceProcessor({ pool, embedder, retention: config.retention, logger }),
      options,
    ),
    createQueueWorker(QUEUE_NAMES.reports, createReportsProcessor({ pool, logger }), options),
    createQueueWorker(
      QUEUE_NAMES.webhooks,
      createWebhooksProcessor({
        pool,
        queue: producers.webhooks,
        config: config.webhooks,
        logger,
        deliveries,
      }),
      { ...options, settings: { backoffStrategy: webhookBackoff(config.webhooks) } },
    ),
  ];
  const jobMetrics = createJobMetrics(registry);
  for (const worker of workers) jobMetrics.instrument(worker);
  registerQueueMetrics(Object.values(producers), registry);

  const guard = new MemoryGuard(workers, {
    limitBytes: config.workerService.maxMemoryBytes,
    logger,
    registry,
  });
  memory = guard;
  const ops = await startOpsServer({
    service: 'worker',
    host: config.workerService.host,
    port: config.workerService.port,
    logger,
    registry,
    checks: [redisReadiness(redis), postgresReadiness(pool), guard.readiness()],
    isDraining: () => shutdown.isShuttingDown,
  });

  // Stop fetching and let running jobs finish, then close the rest.
  shutdown.register('memory guard', () => guard.stop());
  shutdown.register(
    'queue workers',
    async () => void (await Promise.all(workers.map((worker) => worker.close()))),
  );
  shutdown.register('queue producers', () => closeProducers(producers));
  shutdown.register('ops server', () => closeServer(ops));
  shutdown.register(
    'redis',
    async () => void (await Promise.all([closeRedis(redis), closeRedis(producerConnection)])),
  );
  shutdown.register('postgres pool', () => pool.end());

  await scheduleMaintenance(producers, config).catch((error: unknown) =>
    logger.warn({ error: String(error) }, 'Could not register the maintenance schedules yet'),
  );
  for (const worker of workers)
    void worker
      .run()
      .catch((error: unknown) =>
        logger.error({ queue: worker.name, error: String(error) }, 'Queue worker stopped'),
      );
  guard.start();
  logger.info(
    {
      port: config.workerService.port,
      env: config.env,
      concurrency: config.workerService.concurrency,
      queues: workers.map((worker) => worker.name),
    },
    'Worker listening',
  );
});
