/**
 * Worker: N no-op jobs (maintenance `ping`) through apps/worker's pipeline (a real
 * worker process from source) against a raw BullMQ Worker process on the same Redis
 * at the same concurrency; and webhook deliveries per second to a loopback receiver
 * (events fanned out by the real worker, against raw BullMQ doing one signed POST per job).
 *
 * Jobs are queued while the queue is paused; the clock runs from resume to the last
 * completion, so start-up and enqueueing are not measured. App and baseline run side by
 * side and take turns; the best round of each is reported.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MAINTENANCE_JOBS, QUEUE_NAMES, WEBHOOK_JOBS } from '@xorb/contracts';
import { insertWebhook } from '@xorb/db';
import { DEFAULT_JOB_OPTIONS } from '@xorb/queues';
import { generateWebhookSecret } from '@xorb/webhooks';
import { freePort } from '../../libs/testing/src/free-port';
import type { Area, AreaContext } from '../lib/area';
import { cpuByProcess, totalCpu } from '../lib/cpu';
import { appEnv, benchDatabase, runTag, services } from '../lib/env';
import { timeToStatus } from '../lib/http';
import { appPid, BenchProcess, startApp, stopApp } from '../lib/processes';
import { deleteKeysWithPrefix } from '../lib/redis-keys';
import { seedTenant } from '../lib/seed';
import { row, value, type Row } from '../lib/table';

const CONCURRENCIES = [4, 16];
const DEADLINE_MS = 120_000;

interface Run {
  jobsPerSecond: number;
  cpuMicrosPerJob: number;
}

interface Side {
  label: string;
  /** The processes whose CPU counts for this side. */
  pids: number[];
  /** Queue handles on this side's prefix. */
  queue(name: string): Queue;
  stop(): Promise<void>;
}

/** A loopback webhook receiver answering 204, counting distinct delivery ids. */
class Receiver {
  readonly ids = new Set<string>();
  requests = 0;
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = createServer((request, response) => {
      this.requests += 1;
      const id = request.headers['xorb-webhook-id'];
      request.resume();
      request.on('end', () => {
        if (
          typeof id === 'string' &&
          String(request.headers['xorb-webhook-signature'] ?? '').startsWith('v1=')
        )
          this.ids.add(id);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  reset(): void {
    this.ids.clear();
    this.requests = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Runs `count` jobs added by `enqueue` while `queue` is paused; resolves when `done()` holds. */
async function timed(
  side: Side,
  queue: Queue,
  count: number,
  enqueue: () => Promise<void>,
  done: () => Promise<boolean>,
): Promise<Run> {
  await queue.pause();
  await enqueue();
  const cpu = () => side.pids.reduce((sum, pid) => sum + totalCpu(cpuByProcess(pid)), 0);
  const cpuBefore = cpu();
  const started = performance.now();
  await queue.resume();
  while (!(await done())) {
    if (performance.now() - started > DEADLINE_MS)
      throw new Error(`${side.label}: ${count} jobs did not finish within ${DEADLINE_MS / 1000} s`);
    await sleep(10);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = cpu() - cpuBefore;
  return { jobsPerSecond: count / seconds, cpuMicrosPerJob: (used * 1e6) / count };
}

async function completedAtLeast(queue: Queue, wanted: number): Promise<boolean> {
  const counts = await queue.getJobCounts('completed', 'failed');
  if ((counts.failed ?? 0) > 0) throw new Error(`${queue.name}: ${counts.failed} jobs failed`);
  return (counts.completed ?? 0) >= wanted;
}

async function pings(side: Side, count: number): Promise<Run> {
  const queue = side.queue(QUEUE_NAMES.maintenance);
  const before = (await queue.getJobCounts('completed')).completed ?? 0;
  const requestedAt = new Date().toISOString();
  return timed(
    side,
    queue,
    count,
    async () => {
      for (let offset = 0; offset < count; offset += 500) {
        const batch = Math.min(500, count - offset);
        await queue.addBulk(
          Array.from({ length: batch }, () => ({ name: MAINTENANCE_JOBS.ping, data: { requestedAt } })),
        );
      }
    },
    () => completedAtLeast(queue, before + count),
  );
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.jobsPerSecond > a.jobsPerSecond ? b : a));
}

function rounds(runs: Run[]): string {
  return runs.map((run) => Math.round(run.jobsPerSecond).toLocaleString('en-US')).join(', ');
}

export const workerArea: Area = async (context: AreaContext) => {
  const db = await benchDatabase();
  const receiver = new Receiver();
  const redis = new Redis(services().redisUrl, { maxRetriesPerRequest: null });
  const queues: Queue[] = [];
  const sides: Side[] = [];
  const rows: Row[] = [];
  const jobs = Math.round(3_000 * context.scale);
  const events = Math.round(300 * context.scale);
  const roundCount = Math.max(1, Math.round(2 * context.scale));

  const openQueue = (prefix: string) => (name: string) => {
    const queue = new Queue(name, { connection: redis, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    queues.push(queue);
    return queue;
  };

  try {
    await receiver.start();
    const tenant = await seedTenant(db.pool);
    const secret = generateWebhookSecret();
    await insertWebhook(db.pool, {
      tenantId: tenant.tenantId,
      url: `http://127.0.0.1:${receiver.port}/hook`,
      events: ['scan.completed'],
      secret,
      description: 'bench receiver',
      createdBy: 'bench',
    });

    for (const concurrency of CONCURRENCIES) {
      context.log(`worker: concurrency ${concurrency}`);
      const appPrefix = `xorb-bench-wk-${runTag()}`;
      const workerPort = await freePort();
      const service = startApp(
        'worker',
        appEnv({
          databaseUrl: db.database.url,
          redisKeyPrefix: appPrefix,
          extra: {
            WORKER_PORT: String(workerPort),
            WORKER_CONCURRENCY: String(concurrency),
            EMBEDDINGS_BACKFILL_INTERVAL: '86400',
          },
        }),
      );
      const app: Side = {
        label: `apps/worker (WORKER_CONCURRENCY=${concurrency})`,
        pids: [appPid(service)],
        queue: openQueue(`{${appPrefix}}`),
        stop: () => stopApp(service),
      };
      sides.push(app);
      const rawPrefix = `{xorb-bench-raw-${runTag()}}`;
      const raw = BenchProcess.start('raw-bullmq-worker.ts', {
        REDIS_URL: services().redisUrl,
        BENCH_PREFIX: rawPrefix,
        BENCH_QUEUE: QUEUE_NAMES.maintenance,
        BENCH_CONCURRENCY: String(concurrency),
      });
      const rawWebhooks = BenchProcess.start('raw-bullmq-worker.ts', {
        REDIS_URL: services().redisUrl,
        BENCH_PREFIX: rawPrefix,
        BENCH_QUEUE: QUEUE_NAMES.webhooks,
        BENCH_CONCURRENCY: String(concurrency),
      });
      const baseline: Side = {
        label: `raw BullMQ Worker (concurrency ${concurrency})`,
        pids: [raw.pid, rawWebhooks.pid],
        queue: openQueue(rawPrefix),
        stop: async () => void (await Promise.all([raw.stop(), rawWebhooks.stop()])),
      };
      sides.push(baseline);
      await timeToStatus(`http://127.0.0.1:${workerPort}/ready`, performance.now(), { timeoutMs: 90_000 });
      await Promise.all([raw.waitFor('ready'), rawWebhooks.waitFor('ready')]);

      // Warm-up (JIT, connections), then app and baseline in turns.
      await pings(app, 300);
      await pings(baseline, 300);
      const appRuns: Run[] = [];
      const rawRuns: Run[] = [];
      for (let round = 0; round < roundCount; round += 1) {
        appRuns.push(await pings(app, jobs));
        rawRuns.push(await pings(baseline, jobs));
      }
      context.log(`  ping x${jobs}: app ${rounds(appRuns)} jobs/s; raw ${rounds(rawRuns)} jobs/s`);
      const appBest = best(appRuns);
      const rawBest = best(rawRuns);
      rows.push(
        row({
          area: 'worker',
          scenario: `${jobs} no-op jobs (maintenance ping), concurrency ${concurrency}: jobs/s (best of ${roundCount})`,
          measured: value(appBest.jobsPerSecond, 'jobs/s', 0),
          baseline: value(rawBest.jobsPerSecond, 'jobs/s', 0),
          goal: {
            text: '≥ 0.80× raw BullMQ',
            met: appBest.jobsPerSecond >= 0.8 * rawBest.jobsPerSecond,
          },
          note: `rounds: app ${rounds(appRuns)}; raw ${rounds(rawRuns)}`,
        }),
        row({
          area: 'worker',
          scenario: `no-op jobs, concurrency ${concurrency}: worker CPU per job`,
          measured: value(appBest.cpuMicrosPerJob, 'µs', 0),
          baseline: value(rawBest.cpuMicrosPerJob, 'µs', 0),
        }),
      );

      // Webhooks: events fanned out by the app (delivery rows, deliver jobs, signed POSTs, delivery log)
      // against raw BullMQ POSTing signed payloads with no bookkeeping.
      const appHooks = app.queue(QUEUE_NAMES.webhooks);
      const rawHooks = baseline.queue(QUEUE_NAMES.webhooks);
      const appDeliveries: Run[] = [];
      const rawDeliveries: Run[] = [];
      for (let round = 0; round < roundCount; round += 1) {
        receiver.reset();
        appDeliveries.push(
          await timed(
            app,
            appHooks,
            events,
            async () => {
              await appHooks.addBulk(
                Array.from({ length: events }, () => ({
                  name: WEBHOOK_JOBS.event,
                  data: {
                    tenantId: tenant.tenantId,
                    event: 'scan.completed' as const,
                    occurredAt: new Date().toISOString(),
                    data: { scan_id: randomUUID(), findings_new: 1, findings_seen: 0 },
                  },
                  opts: { jobId: `bench.${randomUUID()}` },
                })),
              );
            },
            async () => receiver.ids.size >= events,
          ),
        );
        receiver.reset();
        const body = JSON.stringify({ type: 'scan.completed', data: { scan_id: randomUUID() } });
        rawDeliveries.push(
          await timed(
            baseline,
            rawHooks,
            events,
            async () => {
              await rawHooks.addBulk(
                Array.from({ length: events }, () => ({
                  name: 'deliver',
                  data: {
                    url: `http://127.0.0.1:${receiver.port}/hook`,
                    secret,
                    id: randomUUID(),
                    event: 'scan.completed',
                    body,
                  },
                })),
              );
            },
            async () => receiver.ids.size >= events,
          ),
        );
      }
      const { rows: delivered } = await db.pool.query<{ count: string }>(
        `SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'`,
      );
      context.log(
        `  webhooks x${events}: app ${rounds(appDeliveries)}/s; raw ${rounds(rawDeliveries)}/s; ${delivered[0]?.count} delivered rows`,
      );
      rows.push(
        row({
          area: 'worker',
          scenario: `webhook deliveries to a loopback receiver (${events} scan.completed events → fan-out → signed POST + delivery log), concurrency ${concurrency}: deliveries/s`,
          measured: value(best(appDeliveries).jobsPerSecond, 'deliveries/s', 0),
          baseline: value(best(rawDeliveries).jobsPerSecond, 'deliveries/s', 0),
          note: `baseline: raw BullMQ, one signed POST per job, no database; rounds: app ${rounds(appDeliveries)}; raw ${rounds(rawDeliveries)}; ${Math.round(best(appDeliveries).cpuMicrosPerJob)} vs ${Math.round(best(rawDeliveries).cpuMicrosPerJob)} µs worker CPU per delivery`,
        }),
      );
      await Promise.all([app.stop(), baseline.stop()]);
      sides.length = 0;
      for (const prefix of [`{${appPrefix}}`, rawPrefix]) await deleteKeysWithPrefix(redis, prefix);
    }
  } finally {
    await Promise.all(sides.map((side) => side.stop().catch(() => undefined)));
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
    await receiver.stop();
    redis.disconnect();
    await db.close();
  }
  return rows;
};
