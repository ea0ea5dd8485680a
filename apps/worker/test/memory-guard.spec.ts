import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue, QueueEvents, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@xorb/config-manager';
import type { QueueName } from '@xorb/contracts';
import { createQueueWorker } from '../src/queues/queue-worker';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_JOBS } from '@xorb/contracts';
import { createLogger } from '@xorb/observability';
import { ServiceProcess, freePort, testServices, waitForHttp } from '@xorb/testing';
import { MemoryGuard } from '../src/resources/memory-guard';
import { waitFor } from './support/worker-fixture';

const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});
const MB = 1024 * 1024;

describe('resource-aware job intake', () => {
  const name = `xorb-memory-test-${randomUUID()}`;
  const connection = () => ({ url: testServices().redisUrl });
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker;
  let rss = 100 * MB;
  const processed: string[] = [];
  let guard: MemoryGuard | undefined;

  beforeAll(async () => {
    queue = new Queue(name, { connection: connection(), prefix: '{bull-plain}' });
    events = new QueueEvents(name, { connection: connection(), prefix: '{bull-plain}' });
    const config = await loadConfig({
      env: { XORB_ENV: 'test', REDIS_URL: testServices().redisUrl },
      secretsDir: '/nonexistent',
    });
    worker = createQueueWorker(name as QueueName, async (job) => void processed.push(String(job.id)), {
      config: { ...config, redis: { ...config.redis, keyPrefix: 'bull-plain' } } as never,
      connection: new Redis(testServices().redisUrl, { maxRetriesPerRequest: null }) as never,
      logger,
      isPaused: () => guard?.isPaused ?? false,
    });
    void worker.run();
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await worker?.close();
    await events?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
  });

  it('pauses near the limit and resumes below the lower mark (hysteresis), on a real BullMQ worker', async () => {
    const registry = new Registry();
    guard = new MemoryGuard([worker], { limitBytes: 200 * MB, logger, registry, readRss: () => rss });
    guard.check();
    expect(guard.isPaused).toBe(false);

    rss = 185 * MB; // past 90 %
    guard.check();
    expect(guard.isPaused).toBe(true);
    await expect(guard.readiness().check(new AbortController().signal)).rejects.toThrow(
      /near WORKER_MAX_MEMORY/,
    );
    expect(await registry.getSingleMetricAsString('xorb_worker_paused')).toMatch(/xorb_worker_paused 1/);
    const job = await queue.add('work', {});
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(processed).not.toContain(job.id);

    rss = 170 * MB; // below 90 % but above 75 %: still paused
    guard.check();
    expect(guard.isPaused).toBe(true);

    rss = 140 * MB; // below 75 %
    guard.check();
    expect(guard.isPaused).toBe(false);
    await job.waitUntilFinished(events, 10_000);
    expect(processed).toContain(job.id);
    expect(await registry.getSingleMetricAsString('xorb_worker_paused')).toMatch(/xorb_worker_paused 0/);
  }, 30_000);

  it('a worker process given a small WORKER_MAX_MEMORY stops taking jobs and says so on /ready and /metrics', async () => {
    const port = await freePort();
    const prefix = `xorb-mem-${randomUUID().slice(0, 8)}`;
    const process = ServiceProcess.start('worker', {
      XORB_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: testServices().postgresAdminUrl,
      REDIS_URL: testServices().redisUrl,
      REDIS_KEY_PREFIX: prefix,
      WORKER_PORT: String(port),
      WORKER_MAX_MEMORY: '16m',
    });
    const maintenance = new Queue('xorb-maintenance', { connection: connection(), prefix: `{${prefix}}` });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health`);
      const ready = await waitForHttp(`http://127.0.0.1:${port}/ready`, 503, 30_000);
      expect(((await ready.json()) as { failing: string[] }).failing).toEqual(['memory']);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/xorb_worker_paused\{service="worker"\} 1/);
      expect(metrics).toMatch(/xorb_worker_memory_limit_bytes\{service="worker"\} 16777216/);
      const job = await maintenance.add(MAINTENANCE_JOBS.ping, { requestedAt: new Date().toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Not taken: still waiting, or handed back (delayed) if it arrived in the instant the worker paused.
      expect(['waiting', 'delayed']).toContain(
        await (await maintenance.getJob(job.id as string))?.getState(),
      );
      await waitFor(
        async () =>
          process.logs().some((line) => line.message === 'Memory near WORKER_MAX_MEMORY: pausing job intake'),
        Boolean,
        5_000,
        'pause log',
      );
    } finally {
      await maintenance.obliterate({ force: true });
      await maintenance.close();
      await process.stop();
    }
  }, 60_000);
});
