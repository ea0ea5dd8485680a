import { type Job, UnrecoverableError } from 'bullmq';
import { MAINTENANCE_JOBS, pingJobPayload } from '@xorb/contracts';
import type { Logger } from '@xorb/observability';

export interface MaintenanceResult {
  job: string;
  processedAt: string;
}

/** Handles the maintenance queue. Unknown job names fail at once, without retries. */
export function createMaintenanceProcessor(logger: Logger) {
  return async function processMaintenanceJob(job: Job): Promise<MaintenanceResult> {
    switch (job.name) {
      case MAINTENANCE_JOBS.ping: {
        const payload = pingJobPayload.parse(job.data);
        logger.debug({ job_id: job.id, requested_at: payload.requestedAt }, 'Ping job processed');
        return { job: job.name, processedAt: new Date().toISOString() };
      }
      default:
        throw new UnknownJobError(job.name);
    }
  };
}

export class UnknownJobError extends UnrecoverableError {
  override name = 'UnknownJobError';
  constructor(jobName: string) {
    super(`no processor for job "${jobName}" on the maintenance queue`);
  }
}
