/**
 * Orchestrator: scan workflows completed per second (apps/orchestrator from source,
 * against a loopback HTTP server on one open port), against a minimal one-activity
 * workflow run by a baseline worker (bench/baselines/temporal-worker.ts) on its own task
 * queue of the same Temporal server. A second baseline runs the scan's shape without its
 * work (8 sequential no-op activities), to separate Temporal's cost from the scan's.
 *
 * Scans are registered as the API registers them (a scan row, workflow id = scan id),
 * all started at once; the clock runs from the first start to the last completion.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { WORKFLOW_TYPES, type ScanWorkflowInput, type ScanWorkflowResult } from '@xorb/contracts';
import { insertScan } from '@xorb/db';
import { freePort } from '../../libs/testing/src/free-port';
import type { Area, AreaContext } from '../lib/area';
import { cpuByProcess, totalCpu } from '../lib/cpu';
import { appEnv, benchDatabase, runTag, services } from '../lib/env';
import { timeToStatus } from '../lib/http';
import { appPid, BenchProcess, startApp, stopApp } from '../lib/processes';
import { deleteKeysWithPrefix } from '../lib/redis-keys';
import { seedLoopbackTarget, seedTenant } from '../lib/seed';
import { percentile, sortedCopy } from '../lib/stats';
import { row, value, type Row } from '../lib/table';

const DEADLINE_MS = 180_000;

interface Batch {
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  cpuMsPerWorkflow: number;
}

/** Starts every workflow of the batch at once and waits for all; bounded by DEADLINE_MS. */
async function batch(
  pids: number[],
  count: number,
  start: (index: number) => Promise<{ result(): Promise<unknown> }>,
): Promise<Batch> {
  const cpu = () => pids.reduce((sum, pid) => sum + totalCpu(cpuByProcess(pid)), 0);
  const cpuBefore = cpu();
  const origin = performance.now();
  const latencies: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`workflows did not finish within ${DEADLINE_MS / 1000} s`)),
      DEADLINE_MS,
    );
  });
  try {
    await Promise.race([
      deadline,
      Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const started = performance.now();
          const handle = await start(index);
          await handle.result();
          latencies.push(performance.now() - started);
        }),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
  const seconds = (performance.now() - origin) / 1000;
  const sorted = sortedCopy(latencies);
  return {
    perSecond: count / seconds,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    cpuMsPerWorkflow: ((cpu() - cpuBefore) * 1e3) / count,
  };
}

function describe(result: Batch): string {
  return `${result.perSecond.toFixed(1)}/s, p50 ${Math.round(result.p50Ms)} ms, p95 ${Math.round(result.p95Ms)} ms, ${result.cpuMsPerWorkflow.toFixed(1)} ms worker CPU each`;
}

export const orchestratorArea: Area = async (context: AreaContext) => {
  const db = await benchDatabase();
  const svc = services();
  const rows: Row[] = [];
  const taskQueue = `xorb-bench-scans-${runTag()}`;
  const baselineQueue = `xorb-bench-baseline-${runTag()}`;
  const redisKeyPrefix = `xorb-bench-orch-${runTag()}`;
  const count = Math.max(10, Math.round(30 * context.scale));
  const rounds = 2;
  let target: Server | undefined;
  let connection: Connection | undefined;
  const stops: Array<() => Promise<void>> = [];
  try {
    // The scanned service: plain HTTP on one loopback port.
    const targetPort = await freePort();
    target = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>'),
    );
    await new Promise<void>((resolve) => target?.listen(targetPort, '127.0.0.1', resolve));

    const tenant = await seedTenant(db.pool);
    const targetId = await seedLoopbackTarget(db.pool, tenant.tenantId);

    const opsPort = await freePort();
    const orchestrator = startApp(
      'orchestrator',
      appEnv({
        databaseUrl: db.database.url,
        redisKeyPrefix,
        taskQueue,
        extra: { ORCHESTRATOR_PORT: String(opsPort) },
      }),
    );
    stops.push(() => stopApp(orchestrator));
    const baseline = BenchProcess.start('temporal-worker.ts', {
      TEMPORAL_HOST: svc.temporalAddress,
      BENCH_TASK_QUEUE: baselineQueue,
    });
    stops.push(() => baseline.stop());
    await timeToStatus(`http://127.0.0.1:${opsPort}/ready`, performance.now(), { timeoutMs: 120_000 });
    await baseline.waitFor('ready', 120_000);

    connection = await Connection.connect({ address: svc.temporalAddress });
    const client = new Client({ connection, namespace: 'default' });

    const startScan = async () => {
      const scanId = randomUUID();
      await insertScan(db.pool, {
        id: scanId,
        tenantId: tenant.tenantId,
        targetId,
        profile: 'quick',
        ports: String(targetPort),
        requestedBy: 'bench',
      });
      const input: ScanWorkflowInput = {
        tenantId: tenant.tenantId,
        targetId,
        profile: 'quick',
        scanId,
        ports: String(targetPort),
      };
      return client.workflow.start(WORKFLOW_TYPES.scan, {
        taskQueue,
        workflowId: scanId,
        args: [input],
        workflowExecutionTimeout: '10m',
      });
    };
    const startBaseline = (workflow: 'oneActivity' | 'eightActivities') => () =>
      client.workflow.start(workflow, {
        taskQueue: baselineQueue,
        workflowId: `bench-${workflow}-${randomUUID()}`,
        args: ['ping'],
        workflowExecutionTimeout: '10m',
      });

    // Warm-up: the first workflows pay for caches and connections; check a scan really completes.
    const first = await startScan();
    const outcome = (await first.result()) as ScanWorkflowResult;
    if (outcome.status !== 'completed' || !outcome.openPorts.includes(targetPort))
      throw new Error(`the warm-up scan did not complete as expected: ${JSON.stringify(outcome)}`);
    await batch([baseline.pid], 5, startBaseline('oneActivity'));
    await batch([baseline.pid], 5, startBaseline('eightActivities'));

    // Batches in turns (scans, one-activity, eight-activity, scans, …): the best round of each.
    const orchestratorPid = appPid(orchestrator);
    const runs = { scans: [] as Batch[], one: [] as Batch[], eight: [] as Batch[] };
    for (let round = 0; round < rounds; round += 1) {
      runs.scans.push(await batch([orchestratorPid], count, () => startScan()));
      runs.one.push(await batch([baseline.pid], count, startBaseline('oneActivity')));
      runs.eight.push(await batch([baseline.pid], count, startBaseline('eightActivities')));
    }
    const best = (batches: Batch[]) => batches.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const perSecond = (batches: Batch[]) => batches.map((b) => b.perSecond.toFixed(1)).join(', ');
    const scans = best(runs.scans);
    const one = best(runs.one);
    const eight = best(runs.eight);
    context.log(`  ${count} scans: ${perSecond(runs.scans)}/s; best ${describe(scans)}`);
    context.log(`  ${count} one-activity workflows: ${perSecond(runs.one)}/s; best ${describe(one)}`);
    context.log(`  ${count} eight-activity workflows: ${perSecond(runs.eight)}/s; best ${describe(eight)}`);

    const { rows: completed } = await db.pool.query<{ count: string }>(
      `SELECT count(*) FROM scans WHERE status = 'completed'`,
    );
    rows.push(
      row({
        area: 'orchestrator',
        scenario: `${count} scan workflows at once (quick profile, 1 open loopback HTTP port): completed/s (best of ${rounds})`,
        measured: value(scans.perSecond, 'scans/s', 1),
        baseline: value(one.perSecond, 'workflows/s', 1),
        note: `rounds: scans ${perSecond(runs.scans)}, baseline ${perSecond(runs.one)}; baseline: minimal one-activity workflow on the same Temporal server; scan latency p50 ${Math.round(scans.p50Ms)} ms / p95 ${Math.round(scans.p95Ms)} ms (baseline ${Math.round(one.p50Ms)} / ${Math.round(one.p95Ms)} ms); ${completed[0]?.count} scans completed in the database`,
      }),
      row({
        area: 'orchestrator',
        scenario: `${count} scan workflows vs the scan's shape without its work (8 sequential no-op activities): completed/s`,
        measured: value(scans.perSecond, 'scans/s', 1),
        baseline: value(eight.perSecond, 'workflows/s', 1),
        note: `rounds: ${perSecond(runs.eight)}; 8-activity latency p50 ${Math.round(eight.p50Ms)} ms / p95 ${Math.round(eight.p95Ms)} ms`,
      }),
      row({
        area: 'orchestrator',
        scenario: 'worker process CPU per workflow (scan vs one-activity)',
        measured: value(scans.cpuMsPerWorkflow, 'ms', 1),
        baseline: value(one.cpuMsPerWorkflow, 'ms', 1),
        note: `eight-activity baseline ${eight.cpuMsPerWorkflow.toFixed(1)} ms`,
      }),
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    target?.closeAllConnections();
    await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
    // The report and webhook jobs the scans enqueued (no worker consumes this run's prefix).
    const redis = new Redis(svc.redisUrl, { maxRetriesPerRequest: 3 });
    await deleteKeysWithPrefix(redis, `{${redisKeyPrefix}}`).catch(() => undefined);
    redis.disconnect();
    await db.close();
  }
  return rows;
};
