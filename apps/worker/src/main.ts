import { Worker } from 'bullmq';
import { QUEUE_NAMES } from '@xorb/contracts';
import { queuePrefix } from '@xorb/queues';
import { createPool, postgresReadiness } from '@xorb/db';
import { closeServer, runService, startOpsServer } from '@xorb/observability';
import { closeRedis, createRedisConnection, redisReadiness } from '@xorb/redis';
import { instrumentWorker } from './job-metrics';
import { createMaintenanceProcessor } from './processors/maintenance.processor';

void runService('worker', async ({ config, logger, registry, shutdown }) => {
  const pool = createPool(config.database, { applicationName: 'xorb-worker', logger });
  // BullMQ workers block on Redis, so their connection retries forever.
  const redis = createRedisConnection(config.redis, {
    connectionName: 'xorb-worker',
    logger,
    blocking: true,
  });

  const maintenance = new Worker(QUEUE_NAMES.maintenance, createMaintenanceProcessor(logger), {
    connection: redis,
    prefix: queuePrefix(config.redis),
    concurrency: config.workerService.concurrency,
  });
  maintenance.on('failed', (job, error) => {
    logger.warn(
      { queue: maintenance.name, job_id: job?.id, job: job?.name, error: error.message },
      'Job failed',
    );
  });
  maintenance.on('error', (error) =>
    logger.error({ queue: maintenance.name, error: error.message }, 'Queue worker error'),
  );
  instrumentWorker(maintenance, registry);

  const ops = await startOpsServer({
    service: 'worker',
    host: config.workerService.host,
    port: config.workerService.port,
    logger,
    registry,
    checks: [redisReadiness(redis), postgresReadiness(pool)],
    isDraining: () => shutdown.isShuttingDown,
  });

  // Stop taking jobs and let running ones finish, then close the rest.
  shutdown.register('queue workers', () => maintenance.close());
  shutdown.register('ops server', () => closeServer(ops));
  shutdown.register('redis', () => closeRedis(redis));
  shutdown.register('postgres pool', () => pool.end());

  logger.info(
    {
      port: config.workerService.port,
      env: config.env,
      concurrency: config.workerService.concurrency,
      queues: [maintenance.name],
    },
    'Worker listening',
  );
});
