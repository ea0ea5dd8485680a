import { createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '@xorb/contracts';
import { queuePrefix } from '@xorb/queues';
import { freePort, ServiceProcess, testServices, waitForHttp, WORKSPACE_ROOT } from '@xorb/testing';
import { ApiFixture, type SeededTenant } from './support/api-fixture';
import { LoopbackTargets } from './support/loopback-services';

interface Scan {
  id: string;
  status: string;
  phase: string;
  progress: number;
  ports_scanned: number;
  ports_total: number;
  open_ports: number[];
  counts: { findings_new: number; findings_seen: number };
  error: string | null;
}
interface Finding {
  id: string;
  check_id: string;
  port: number;
  severity: string;
  cwe: string;
  remediation: string;
  last_seen: string;
  occurrences: number;
  embedded: boolean;
}

const EXPECTED_CHECKS = (targets: LoopbackTargets) =>
  [
    `http.content-type-options-missing@${targets.http.port}`,
    `http.csp-missing@${targets.http.port}`,
    `http.frame-protection-missing@${targets.http.port}`,
    `http.no-https-redirect@${targets.http.port}`,
    `redis.unauthenticated@${targets.redis.port}`,
    `tls.certificate-expiring@${targets.https.port}`,
    `tls.certificate-self-signed@${targets.https.port}`,
  ].sort();

/**
 * With XORB_RECORD_HISTORIES=1, saves the workflow's history for the orchestrator's
 * replay tests (apps/orchestrator/test/histories), which guard workflow determinism.
 */
async function recordHistory(workflowId: string, name: string): Promise<void> {
  if (process.env.XORB_RECORD_HISTORIES !== '1') return;
  const connection = await Connection.connect({ address: testServices().temporalAddress });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    await writeFile(
      join(WORKSPACE_ROOT, 'apps/orchestrator/test/histories', `${name}.json`),
      `${historyToJSON(history)}\n`,
    );
  } finally {
    await connection.close();
  }
}

/** A port that counts connections: proof of which probes happened, and when. */
async function canary(): Promise<{ port: number; hits: number[]; server: Server }> {
  const port = await freePort();
  const hits: number[] = [];
  const server = createServer((socket: Socket) => {
    hits.push(Date.now());
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { port, hits, server };
}

/** API → Temporal → orchestrator → probes → findings, against real services only. */
describe('scans end to end', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;
  let targets: LoopbackTargets;
  let orchestrator: ServiceProcess;
  let orchestratorEnv: Record<string, string>;
  let targetId: string;
  const taskQueue = `xorb-scan-test-${randomUUID()}`;

  function startOrchestrator(): ServiceProcess {
    return ServiceProcess.start('orchestrator', orchestratorEnv);
  }

  async function waitForScan(id: string, done: (scan: Scan) => boolean, timeoutMs = 90_000): Promise<Scan> {
    const deadline = Date.now() + timeoutMs;
    let scan: Scan | undefined;
    while (Date.now() < deadline) {
      scan = (await api.request('GET', `/api/v1/scans/${id}`, { key: tenant.keys.viewer })).json<Scan>();
      if (done(scan)) return scan;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `scan ${id} did not get there in time: ${JSON.stringify(scan)}\n${orchestrator.lines.slice(-30).join('\n')}`,
    );
  }

  async function startScan(ports: string, key = randomUUID()): Promise<Scan> {
    const response = await api.request('POST', '/api/v1/scans', {
      key: tenant.keys.analyst,
      body: { targetId, profile: 'quick', ports },
      headers: { 'idempotency-key': key },
    });
    expect(response.status, response.body).toBe(202);
    return response.json<Scan>();
  }

  async function findings(): Promise<Finding[]> {
    return (
      await api.request('GET', `/api/v1/findings?target_id=${targetId}&limit=200`, {
        key: tenant.keys.viewer,
      })
    ).json<{ items: Finding[] }>().items;
  }

  beforeAll(async () => {
    targets = await LoopbackTargets.start();
    api = await ApiFixture.start({ TEMPORAL_TASK_QUEUE: taskQueue });
    tenant = await api.seedTenant();
    const services = testServices();
    orchestratorEnv = {
      XORB_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: api.config.database.getUrl(),
      REDIS_URL: services.redisUrl,
      REDIS_KEY_PREFIX: api.config.redis.keyPrefix,
      TEMPORAL_HOST: services.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ORCHESTRATOR_PORT: String(await freePort()),
      SCAN_RATE_PER_SECOND: '200',
      SCAN_MAX_CONCURRENCY: '20',
      SCAN_CONNECT_TIMEOUT_MS: '1000',
      SCAN_PORT_TIMEOUT_MS: '2000',
    };
    orchestrator = startOrchestrator();
    await waitForHttp(`http://127.0.0.1:${orchestratorEnv.ORCHESTRATOR_PORT}/ready`, 200, 90_000);
    const target = await api.request('POST', '/api/v1/targets', {
      key: tenant.keys.analyst,
      body: { value: '127.0.0.1' },
    });
    targetId = target.json<{ id: string }>().id;
  }, 180_000);

  afterAll(async () => {
    orchestrator?.kill();
    await targets?.stop();
    await api?.stop();
  });

  it('scans the target and records exactly the expected findings, each once', async () => {
    const closed = await freePort();
    const accepted = await startScan([...targets.ports, closed].join(','));
    expect(accepted.status).toBe('queued');
    const scan = await waitForScan(
      accepted.id,
      (current) => current.status !== 'queued' && current.status !== 'running',
    );
    expect(scan).toMatchObject({
      status: 'completed',
      phase: 'done',
      progress: 100,
      open_ports: targets.ports,
      ports_total: 4,
      ports_scanned: 4,
    });
    const found = await findings();
    expect(found.map((finding) => `${finding.check_id}@${finding.port}`).sort()).toEqual(
      EXPECTED_CHECKS(targets),
    );
    expect(scan.counts).toEqual({ findings_new: found.length, findings_seen: 0 });
    for (const finding of found) {
      expect(finding.cwe).toMatch(/^CWE-\d+$/);
      expect(finding.remediation.length).toBeGreaterThan(20);
      expect(finding.embedded).toBe(true);
    }
    expect(found.find((finding) => finding.check_id === 'redis.unauthenticated')?.severity).toBe('critical');

    await recordHistory(scan.id, 'scan-completed');
    const reports = await api.request('GET', `/api/v1/reports?limit=10`, { key: tenant.keys.viewer });
    expect(reports.status).toBe(200);
    const queue = new Queue(QUEUE_NAMES.reports, {
      connection: { url: testServices().redisUrl },
      prefix: queuePrefix(api.config.redis),
    });
    try {
      const report = reports
        .json<{ items: Array<{ id: string; scan_id: string; format: string }> }>()
        .items.find((item) => item.scan_id === scan.id);
      expect(report?.format).toBe('json');
      expect(await queue.getJob(`report.${report?.id}`)).toBeTruthy();
    } finally {
      await queue.close();
    }
  }, 120_000);

  it('a second scan creates no duplicates and moves last_seen', async () => {
    const before = await findings();
    const second = await startScan(targets.ports.join(','));
    const scan = await waitForScan(
      second.id,
      (current) => current.status === 'completed' || current.status === 'failed',
    );
    expect(scan.status).toBe('completed');
    const after = await findings();
    expect(after.map((finding) => finding.id).sort()).toEqual(before.map((finding) => finding.id).sort());
    expect(scan.counts).toEqual({ findings_new: 0, findings_seen: before.length });
    for (const finding of after) {
      const previous = before.find((candidate) => candidate.id === finding.id) as Finding;
      expect(Date.parse(finding.last_seen)).toBeGreaterThan(Date.parse(previous.last_seen));
      expect(finding.occurrences).toBe(2);
    }
  }, 120_000);

  it('honours Idempotency-Key: the same request returns the same scan, a different one is refused', async () => {
    const key = randomUUID();
    const first = await startScan(String(targets.http.port), key);
    const again = await api.request('POST', '/api/v1/scans', {
      key: tenant.keys.analyst,
      body: { targetId, profile: 'quick', ports: String(targets.http.port) },
      headers: { 'idempotency-key': key },
    });
    expect(again.status).toBe(202);
    expect(again.json<Scan>().id).toBe(first.id);
    expect(again.headers.location).toBe(`/api/v1/scans/${first.id}`);
    const different = await api.request('POST', '/api/v1/scans', {
      key: tenant.keys.analyst,
      body: { targetId, profile: 'quick', ports: String(targets.https.port) },
      headers: { 'idempotency-key': key },
    });
    expect(different.status).toBe(422);
    await waitForScan(first.id, (current) => current.status === 'completed');
  }, 120_000);

  it('cancelling mid-scan ends the scan cancelled and stops its probes', async () => {
    const watch = await canary();
    try {
      // The canary is the last port of a 2,000-port range probed in order at 200/s: cancelling early means it is never reached.
      const accepted = await startScan(`${watch.port - 2000}-${watch.port}`);
      await waitForScan(
        accepted.id,
        (current) => current.status === 'running' && current.ports_scanned > 100,
        60_000,
      );
      const cancel = await api.request('POST', `/api/v1/scans/${accepted.id}/cancel`, {
        key: tenant.keys.analyst,
      });
      expect(cancel.status).toBe(202);
      const scan = await waitForScan(
        accepted.id,
        (current) => current.status !== 'running' && current.status !== 'queued',
        30_000,
      );
      expect(scan.status).toBe('cancelled');
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const later = (
        await api.request('GET', `/api/v1/scans/${accepted.id}`, { key: tenant.keys.viewer })
      ).json<Scan>();
      expect(later.ports_scanned).toBe(scan.ports_scanned);
      expect(later.ports_scanned).toBeLessThan(later.ports_total);
      expect(watch.hits).toEqual([]);
      expect(
        (await api.request('POST', `/api/v1/scans/${accepted.id}/cancel`, { key: tenant.keys.analyst }))
          .status,
      ).toBe(409);
      await recordHistory(accepted.id, 'scan-cancelled');
    } finally {
      watch.server.close();
    }
  }, 120_000);

  it('survives the orchestrator being killed mid-probe: a new one resumes from the last heartbeat and completes', async () => {
    const watch = await canary();
    try {
      const accepted = await startScan(`${watch.port - 2000}-${watch.port}`);
      // Heartbeats leave at most every 2 s: by 800 ports (4 s at 200/s) a checkpoint past 200 has been recorded.
      await waitForScan(
        accepted.id,
        (current) => current.status === 'running' && current.ports_scanned > 800,
        60_000,
      );
      orchestrator.kill();
      await orchestrator.waitForExit();
      orchestrator = startOrchestrator();
      const scan = await waitForScan(
        accepted.id,
        (current) => current.status !== 'running' && current.status !== 'queued',
        120_000,
      );
      expect(scan.status).toBe('completed');
      expect(scan.open_ports).toContain(watch.port);
      expect(watch.hits.length).toBeGreaterThanOrEqual(1);
      const resumed = await orchestrator.waitForLog('Resuming port probe from checkpoint', 5_000);
      expect(Number(resumed.index)).toBeGreaterThan(200);
    } finally {
      watch.server.close();
    }
  }, 180_000);
});
