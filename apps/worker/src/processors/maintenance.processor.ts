import { UnrecoverableError, type Job } from 'bullmq';
import type { XorbConfig } from '@xorb/config-manager';
import { embeddingsBackfillJobPayload, MAINTENANCE_JOBS, pingJobPayload } from '@xorb/contracts';
import {
  findingsMissingEmbeddings,
  purgeExpired,
  storeFindingEmbedding,
  type Pool,
  type PurgeCounts,
} from '@xorb/db';
import { EmbeddingError, findingEmbeddingText, toPgVector, type EmbeddingProvider } from '@xorb/embeddings';
import type { Logger } from '@xorb/observability';

export interface MaintenanceDependencies {
  pool: Pool;
  embedder: EmbeddingProvider | undefined;
  retention: XorbConfig['retention'];
  logger: Logger;
}

export class UnknownJobError extends UnrecoverableError {
  override name = 'UnknownJobError';
  constructor(queue: string, jobName: string) {
    super(`no processor for job "${jobName}" on the ${queue} queue`);
  }
}

/** Handles the maintenance queue: liveness pings, the embeddings backfill and retention purges. */
export function createMaintenanceProcessor(deps: MaintenanceDependencies) {
  return async function processMaintenanceJob(job: Job, signal: AbortSignal): Promise<unknown> {
    switch (job.name) {
      case MAINTENANCE_JOBS.ping: {
        const payload = pingJobPayload.parse(job.data);
        deps.logger.debug({ job_id: job.id, requested_at: payload.requestedAt }, 'Ping job processed');
        return { job: job.name, processedAt: new Date().toISOString() };
      }
      case MAINTENANCE_JOBS.embeddingsBackfill:
        return backfillEmbeddings(deps, embeddingsBackfillJobPayload.parse(job.data ?? {}).batchSize, signal);
      case MAINTENANCE_JOBS.retentionPurge: {
        const purged: PurgeCounts = await purgeExpired(deps.pool, deps.retention);
        deps.logger.info({ ...purged }, 'Retention purge done');
        return purged;
      }
      default:
        throw new UnknownJobError('maintenance', job.name);
    }
  };
}

/**
 * Embeds findings that were stored without an embedding (provider down, or
 * EMBEDDINGS_PROVIDER changed). Writes only where none exists, so a rerun is harmless.
 */
async function backfillEmbeddings(
  deps: MaintenanceDependencies,
  batchSize: number,
  signal: AbortSignal,
): Promise<{ embedded: number; remaining: boolean }> {
  if (!deps.embedder) return { embedded: 0, remaining: false };
  let embedded = 0;
  for (;;) {
    const pending = await findingsMissingEmbeddings(deps.pool, batchSize);
    if (pending.length === 0) return { embedded, remaining: false };
    let vectors: number[][];
    try {
      vectors = await deps.embedder.embed(
        pending.map((finding) => findingEmbeddingText(finding)),
        signal,
      );
    } catch (error) {
      if (!(error instanceof EmbeddingError)) throw error;
      deps.logger.warn(
        { error: error.message, embedded },
        'Embeddings backfill stopped: provider unavailable; the next run continues',
      );
      return { embedded, remaining: true };
    }
    for (const [index, finding] of pending.entries()) {
      const vector = vectors[index];
      if (
        vector &&
        (await storeFindingEmbedding(
          deps.pool,
          finding.id,
          toPgVector(vector),
          deps.embedder.model ?? deps.embedder.name,
        ))
      )
        embedded += 1;
    }
    if (pending.length < batchSize || signal.aborted)
      return { embedded, remaining: pending.length === batchSize };
  }
}
