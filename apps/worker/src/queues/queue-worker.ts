import { DelayedError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { XorbConfig } from '@xorb/config-manager';
import type { QueueName } from '@xorb/contracts';
import type { Logger } from '@xorb/observability';
import { queuePrefix } from '@xorb/queues';
import type { Redis } from '@xorb/redis';
import { withTimeLimit, type Processor } from './job-timeout';

export interface QueueWorkerOptions {
  config: XorbConfig;
  connection: Redis;
  logger: Logger;
  settings?: WorkerOptions['settings'];
  /** While true, jobs are not taken (the memory guard); a job fetched in that instant goes back for later. */
  isPaused?: () => boolean;
}

/** How long a job fetched while paused waits before it is offered again. */
const PAUSED_REQUEUE_MS = 1_000;

/**
 * One BullMQ worker per queue, all alike: WORKER_CONCURRENCY jobs at a time, the
 * job time limit, and stalled-job recovery (a job whose worker died is picked up
 * again after WORKER_STALLED_INTERVAL).
 */
export function createQueueWorker(
  name: QueueName,
  processor: Processor,
  options: QueueWorkerOptions,
): Worker {
  const { config, logger } = options;
  const stalledMs = config.workerService.stalledIntervalSeconds * 1000;
  const limited = withTimeLimit(processor, config.workerService.jobTimeoutSeconds);
  // BullMQ's pause() stops fetching, but a job already on its way in still arrives: hand it back untouched.
  const admitted = async (job: Job, token?: string) => {
    if (options.isPaused?.()) {
      await job.moveToDelayed(Date.now() + PAUSED_REQUEUE_MS, token);
      throw new DelayedError();
    }
    return limited(job);
  };
  const worker = new Worker(name, admitted, {
    connection: options.connection,
    prefix: queuePrefix(config.redis),
    concurrency: config.workerService.concurrency,
    lockDuration: stalledMs,
    stalledInterval: stalledMs,
    maxStalledCount: 2,
    autorun: false,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  worker.on('failed', (job: Job | undefined, error: Error) => {
    const attempts = job?.opts.attempts ?? 1;
    const final = (job?.attemptsMade ?? 0) >= attempts;
    logger[final ? 'error' : 'warn'](
      {
        queue: name,
        job_id: job?.id,
        job: job?.name,
        attempt: job?.attemptsMade,
        attempts,
        error: error.message,
      },
      final ? 'Job failed for good' : 'Job failed; will retry',
    );
  });
  worker.on('stalled', (jobId: string) =>
    logger.warn({ queue: name, job_id: jobId }, 'Job stalled (its worker died); it will run again'),
  );
  worker.on('error', (error: Error) =>
    logger.error({ queue: name, error: error.message }, 'Queue worker error'),
  );
  return worker;
}
