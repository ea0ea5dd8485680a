import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';

const STATES = ['waiting', 'prioritized', 'active', 'completed', 'failed', 'delayed'] as const;

/** xorb_queue_jobs{queue,state}, read from Redis at each scrape. */
export function registerQueueMetrics(queues: readonly Queue[], registry: Registry): void {
  new Gauge({
    name: 'xorb_queue_jobs',
    help: 'Jobs per queue and state (waiting, prioritized, active, completed, failed, delayed), read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts(...STATES);
          for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}
