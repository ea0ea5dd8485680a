import type { Job, Worker } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Counts and times every job the workers finish, by queue, job name and outcome. */
export function createJobMetrics(registry: Registry): { instrument(worker: Worker): void } {
  const completed = new Counter({
    name: 'xorb_jobs_total',
    help: 'Jobs finished by the worker, by queue, job name and outcome',
    labelNames: ['queue', 'job', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'xorb_job_duration_seconds',
    help: 'Time from a job starting to it finishing, by queue, job name and outcome',
    labelNames: ['queue', 'job', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  return {
    instrument(worker: Worker): void {
      const record = (job: Job | undefined, outcome: 'completed' | 'failed'): void => {
        if (!job) return;
        const labels = { queue: worker.name, job: job.name, outcome };
        completed.inc(labels);
        if (job.processedOn && job.finishedOn)
          duration.observe(labels, (job.finishedOn - job.processedOn) / 1000);
      };
      worker.on('completed', (job) => record(job, 'completed'));
      worker.on('failed', (job) => record(job, 'failed'));
    },
  };
}
