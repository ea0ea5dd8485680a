import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_JOBS, type GenerateReportJobPayload } from '@xorb/contracts';
import { insertReport, withTenant } from '@xorb/db';
import { jobId } from '@xorb/queues';
import { seedFinding, seedTargetAndScan, type ServiceProcess } from '@xorb/testing';
import { ApiFixture, type SeededTenant } from '../../api/test/support/api-fixture';
import { startWorker, waitFor } from './support/worker-fixture';

const JOBS = 1000;

/**
 * 1,000 jobs shared by 4 worker processes, one SIGKILLed midway: stalled-job
 * detection hands its jobs to the others, every job completes, and the
 * idempotent handler makes each effect (a stored report) happen exactly once.
 */
describe('worker resilience', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    api = await ApiFixture.start();
    tenant = await api.seedTenant();
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill();
    await api?.stop();
  });

  it('completes every job once when one of four processes is killed mid-run', async () => {
    const env = { WORKER_CONCURRENCY: '4', WORKER_STALLED_INTERVAL: '2' };
    for (let index = 0; index < 4; index += 1) workers.push((await startWorker(api, env)).process);
    const ids = await withTenant(api.pool, tenant.id, async (client) => {
      // Findings make each report real work (every report renders all of them), so the kill lands mid-run.
      const seeded = await seedTargetAndScan(client, tenant.id, 'load.example');
      for (let index = 0; index < 300; index += 1) {
        await seedFinding(client, {
          tenantId: tenant.id,
          ...seeded,
          fingerprint: `load-${index}`,
          title: `Finding ${index}`,
          evidence: { index },
        });
      }
      const created: string[] = [];
      for (let index = 0; index < JOBS; index += 1) {
        created.push(
          (
            await insertReport(client, {
              tenantId: tenant.id,
              scanId: null,
              filters: {},
              format: 'csv',
              requestedBy: 'test',
            })
          ).id,
        );
      }
      return created;
    });
    await api.producers.reports.addBulk(
      ids.map((reportId) => ({
        name: REPORT_JOBS.generate,
        data: { tenantId: tenant.id, reportId } satisfies GenerateReportJobPayload,
        opts: { jobId: jobId('report', reportId) },
      })),
    );
    const completed = async () =>
      (
        await api.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM reports WHERE tenant_id = $1 AND status = 'completed'`,
          [tenant.id],
        )
      ).rows[0]?.n ?? 0;
    await waitFor(completed, (count) => count >= 100, 60_000, 'the first hundred jobs');
    workers[0]?.kill();
    const atKill = await completed();
    expect(atKill).toBeLessThan(JOBS);

    await waitFor(completed, (count) => count === JOBS, 120_000, 'every job');
    const { rows } = await api.pool.query<{ generations: number; n: number }>(
      `SELECT generations, count(*)::int AS n FROM reports WHERE tenant_id = $1 GROUP BY generations`,
      [tenant.id],
    );
    expect(rows).toEqual([{ generations: 1, n: JOBS }]);
    // The killed process's last jobs are stalled until their locks expire; then others finish them (their effect already happened, so nothing changes).
    const counts = await waitFor(
      () => api.producers.reports.getJobCounts('completed', 'failed', 'active', 'waiting'),
      (current) => current.completed === JOBS,
      60_000,
      'every job completed in BullMQ',
    );
    expect(counts).toMatchObject({ completed: JOBS, failed: 0, active: 0, waiting: 0 });
    const after = await api.pool.query<{ generations: number; n: number }>(
      `SELECT generations, count(*)::int AS n FROM reports WHERE tenant_id = $1 GROUP BY generations`,
      [tenant.id],
    );
    expect(after.rows).toEqual([{ generations: 1, n: JOBS }]);
  }, 240_000);
});
