import { Queue, type JobsOptions } from 'bullmq';
import type { XorbConfig } from '@xorb/config-manager';
import { QUEUE_NAMES, type QueueName } from '@xorb/contracts';
import type { Logger } from '@xorb/observability';
import type { Redis } from '@xorb/redis';

/**
 * BullMQ key prefix: REDIS_KEY_PREFIX wrapped in a hash tag, so every key of a
 * queue lands in one Redis Cluster slot (BullMQ's requirement on a cluster).
 */
export function queuePrefix(redis: XorbConfig['redis']): string {
  return `{${redis.keyPrefix}}`;
}

/** Retries with exponential backoff; finished jobs are kept for a while for inspection. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export type Producers = Record<keyof typeof QUEUE_NAMES, Queue>;

/** One producer per queue, sharing the given connection. */
export function openProducers(redis: XorbConfig['redis'], connection: Redis, logger: Logger): Producers {
  const open = (name: QueueName) => {
    const queue = new Queue(name, {
      connection,
      prefix: queuePrefix(redis),
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    // Without a listener an 'error' event would crash the process; Redis outages are retried by the caller.
    queue.on('error', (error) => logger.warn({ queue: name, error: error.message }, 'Queue producer error'));
    return queue;
  };
  return {
    maintenance: open(QUEUE_NAMES.maintenance),
    reports: open(QUEUE_NAMES.reports),
    webhooks: open(QUEUE_NAMES.webhooks),
  };
}

export async function closeProducers(producers: Producers): Promise<void> {
  await Promise.all(Object.values(producers).map((queue) => queue.close()));
}

/** A deterministic job id (BullMQ dedupes on it); BullMQ refuses ':' in custom ids, so parts join with '.'. */
export function jobId(...parts: ReadonlyArray<string | number>): string {
  return parts.map(String).join('.');
}
