import type { Job } from 'bullmq';

export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
  constructor(job: Job, seconds: number) {
    super(`job ${job.name} (${job.id ?? '?'}) exceeded its time limit of ${seconds} s (WORKER_JOB_TIMEOUT)`);
  }
}

export type Processor<T = unknown> = (job: Job, signal: AbortSignal) => Promise<T>;

/**
 * Runs a processor under a time limit. Past the limit the job fails with a
 * clear reason (and is retried per its options); the processor's signal aborts,
 * so well-behaved work stops instead of running on unseen.
 */
export function withTimeLimit<T>(processor: Processor<T>, seconds: number): (job: Job) => Promise<T> {
  return async (job) => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new JobTimeoutError(job, seconds);
        controller.abort(error);
        reject(error);
      }, seconds * 1000);
    });
    try {
      return await Promise.race([processor(job, controller.signal), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
