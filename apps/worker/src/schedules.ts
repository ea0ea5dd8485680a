import type { XorbConfig } from '@xorb/config-manager';
import { MAINTENANCE_JOBS } from '@xorb/contracts';
import type { Producers } from '@xorb/queues';

/**
 * The worker's own recurring jobs, as BullMQ job schedulers: upserted at every
 * start, so all replicas agree and none adds a duplicate.
 */
export async function scheduleMaintenance(producers: Producers, config: XorbConfig): Promise<void> {
  await producers.maintenance.upsertJobScheduler(
    'embeddings-backfill',
    { every: config.workerService.embeddingsBackfillIntervalSeconds * 1000 },
    { name: MAINTENANCE_JOBS.embeddingsBackfill, data: { batchSize: 100 }, opts: { attempts: 1 } },
  );
  await producers.maintenance.upsertJobScheduler(
    'retention-purge',
    { pattern: config.retention.purgeCron, tz: 'UTC' },
    { name: MAINTENANCE_JOBS.retentionPurge, data: {}, opts: { attempts: 3 } },
  );
}
