import { Queue, QueueEvents } from 'bullmq';
import { expect, it } from 'vitest';
import { MAINTENANCE_JOBS, QUEUE_NAMES } from '@xorb/contracts';
import { describeServiceContract } from '@xorb/testing';

describeServiceContract({
  app: 'worker',
  portVariable: 'WORKER_PORT',
  dependencies: ['postgres', 'redis'],
  otherChecks: ['memory'],
  extra: (worker) => {
    it('processes jobs from its BullMQ queue and counts them', async () => {
      const connection = { url: worker().env.REDIS_URL as string };
      const prefix = `{${worker().env.REDIS_KEY_PREFIX}}`;
      const queue = new Queue(QUEUE_NAMES.maintenance, { connection, prefix });
      const events = new QueueEvents(QUEUE_NAMES.maintenance, { connection, prefix });
      try {
        await events.waitUntilReady();
        const job = await queue.add(MAINTENANCE_JOBS.ping, { requestedAt: new Date().toISOString() });
        const result = (await job.waitUntilFinished(events, 30_000)) as { job: string };
        expect(result.job).toBe('ping');

        const bad = await queue.add('no-such-job', {});
        await expect(bad.waitUntilFinished(events, 30_000)).rejects.toThrow(
          /no processor for job "no-such-job"/,
        );
        expect((await queue.getJob(bad.id as string))?.attemptsMade).toBe(1);

        const metrics = await (await fetch(`${worker().baseUrl}/metrics`)).text();
        expect(metrics).toMatch(
          /xorb_jobs_total\{queue="xorb-maintenance",job="ping",outcome="completed",service="worker"\} 1/,
        );
        expect(metrics).toMatch(
          /xorb_jobs_total\{queue="xorb-maintenance",job="no-such-job",outcome="failed",service="worker"\} 1/,
        );
      } finally {
        await queue.obliterate({ force: true });
        await Promise.all([queue.close(), events.close()]);
      }
    }, 60_000);
  },
});
