import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_JOBS, WEBHOOK_JOBS, type WebhookEventJobPayload } from '@xorb/contracts';
import { withTenant } from '@xorb/db';
import { seedFinding, seedTargetAndScan, type ServiceProcess } from '@xorb/testing';
import { ApiFixture, type SeededTenant } from '../../api/test/support/api-fixture';
import { startWorker, waitFor } from './support/worker-fixture';

interface Report {
  id: string;
  status: string;
  sha256: string | null;
  findings: number | null;
  download_url: string | null;
}

describe('worker jobs end to end', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;
  let worker: ServiceProcess;
  let scanId: string;
  let slow: Server;

  beforeAll(async () => {
    slow = createServer(() => undefined); // accepts and never answers
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
    api = await ApiFixture.start();
    tenant = await api.seedTenant();
    await withTenant(api.pool, tenant.id, async (client) => {
      const seeded = await seedTargetAndScan(client, tenant.id, 'shop.example');
      scanId = seeded.scanId;
      for (const [index, severity] of (['critical', 'high', 'low'] as const).entries()) {
        await seedFinding(client, {
          tenantId: tenant.id,
          ...seeded,
          fingerprint: `jobs-${index}`,
          title: `Finding ${index} <b>`,
          severity,
          evidence: { header: 'content-security-policy' },
        });
      }
      // Old enough for every retention period, and closed: the purge removes it.
      await client.query(
        `UPDATE findings SET status = 'resolved', last_seen = now() - interval '400 days' WHERE fingerprint = 'jobs-2'`,
      );
    });
    ({ process: worker } = await startWorker(api, {
      WORKER_JOB_TIMEOUT: '1',
      WEBHOOK_TIMEOUT_MS: '5000',
      WEBHOOK_MAX_ATTEMPTS: '1',
    }));
  }, 90_000);

  afterAll(async () => {
    worker?.kill();
    slow?.close();
    await api?.stop();
  });

  it('renders requested reports in every format, stored with their SHA-256', async () => {
    for (const format of ['json', 'markdown', 'html', 'csv', 'sarif'] as const) {
      const created = await api.request('POST', '/api/v1/reports', {
        key: tenant.keys.analyst,
        body: { scanId, format },
      });
      expect(created.status, created.body).toBe(202);
      const id = created.json<Report>().id;
      const report = await waitFor(
        async () =>
          (await api.request('GET', `/api/v1/reports/${id}`, { key: tenant.keys.viewer })).json<Report>(),
        (current) => current.status !== 'queued' && current.status !== 'running',
        30_000,
        `${format} report`,
      );
      expect(report).toMatchObject({
        status: 'completed',
        findings: 3,
        download_url: `/api/v1/reports/${id}/download`,
      });
      const file = await api.request('GET', `/api/v1/reports/${id}/download`, { key: tenant.keys.viewer });
      expect(file.status).toBe(200);
      expect(createHash('sha256').update(file.body).digest('hex')).toBe(report.sha256);
      expect(file.headers.etag).toBe(`"${report.sha256}"`);
      if (format === 'sarif')
        expect(JSON.parse(file.body)).toMatchObject({
          version: '2.1.0',
          runs: [{ tool: { driver: { name: 'XORB' } } }],
        });
      if (format === 'html') expect(file.body).toContain('Finding 0 &lt;b&gt;');
    }
    const filtered = await api.request('POST', '/api/v1/reports', {
      key: tenant.keys.analyst,
      body: { filters: { severity: 'critical' }, format: 'csv' },
    });
    const report = await waitFor(
      async () =>
        (
          await api.request('GET', `/api/v1/reports/${filtered.json<Report>().id}`, {
            key: tenant.keys.viewer,
          })
        ).json<Report>(),
      (current) => current.status === 'completed',
      30_000,
      'filtered report',
    );
    expect(report.findings).toBe(1);
    const both = await api.request('POST', '/api/v1/reports', {
      key: tenant.keys.analyst,
      body: { format: 'csv' },
    });
    expect(both.status).toBe(400);
  }, 60_000);

  it('backfills embeddings for findings stored without them', async () => {
    await api.producers.maintenance.add(MAINTENANCE_JOBS.embeddingsBackfill, { batchSize: 2 });
    await waitFor(
      async () =>
        (
          await api.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM findings WHERE tenant_id = $1 AND embedding IS NULL`,
            [tenant.id],
          )
        ).rows[0]?.n,
      (missing) => missing === 0,
      30_000,
      'embeddings backfilled',
    );
    const similar = await api.request('GET', `/api/v1/findings?limit=1`, { key: tenant.keys.viewer });
    expect(similar.json<{ items: Array<{ embedded: boolean }> }>().items[0]?.embedded).toBe(true);
  });

  it('purges what the retention periods expired', async () => {
    await api.producers.maintenance.add(MAINTENANCE_JOBS.retentionPurge, {});
    await waitFor(
      async () =>
        (
          await api.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM findings WHERE fingerprint = 'jobs-2'`,
          )
        ).rows[0]?.n,
      (left) => left === 0,
      30_000,
      'retention purge',
    );
    expect(
      (await api.pool.query(`SELECT 1 FROM findings WHERE fingerprint IN ('jobs-0', 'jobs-1')`)).rowCount,
    ).toBe(2);
  });

  it('fails a job past WORKER_JOB_TIMEOUT with a clear reason', async () => {
    const created = await api.request('POST', '/api/v1/webhooks', {
      key: tenant.keys.admin,
      body: {
        url: `http://127.0.0.1:${(slow.address() as { port: number }).port}/`,
        events: ['scan.failed'],
      },
    });
    expect(created.status).toBe(201);
    const event: WebhookEventJobPayload = {
      tenantId: tenant.id,
      event: 'scan.failed',
      occurredAt: new Date().toISOString(),
      data: {},
    };
    await api.producers.webhooks.add(WEBHOOK_JOBS.event, event, { jobId: 'timeout-test-event' });
    const line = await worker.waitForLog(
      (entry) => typeof entry.error === 'string' && entry.error.includes('exceeded its time limit of 1 s'),
      30_000,
    );
    expect(line.error).toMatch(
      /job deliver \(deliver\.[0-9a-f-]+\) exceeded its time limit of 1 s \(WORKER_JOB_TIMEOUT\)/,
    );
  }, 40_000);
});
