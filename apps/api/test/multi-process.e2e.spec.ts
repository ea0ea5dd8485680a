import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@xorb/config-manager';
import { createPool, migrate, type Pool } from '@xorb/db';
import { createLogger } from '@xorb/observability';
import {
  createTestDatabase,
  freePort,
  ServiceProcess,
  testServices,
  waitForHttp,
  type TestDatabase,
} from '@xorb/testing';
import { provisionTenant } from '../src/identity/provisioning';
import { createTestApiKey } from './support/api-keys';

const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

/** Things only real, separate processes can show: shared rate limits, the cluster. */
describe('API across processes', () => {
  let database: TestDatabase;
  let pool: Pool;
  let key: string;
  let tenantId: string;
  const processes: ServiceProcess[] = [];

  function env(port: number, extra: Record<string, string> = {}): Record<string, string> {
    const services = testServices();
    return {
      XORB_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: services.redisUrl,
      TEMPORAL_HOST: services.temporalAddress,
      API_PORT: String(port),
      REDIS_KEY_PREFIX: `xorb-mp-${database.name.slice(-8)}`,
      ...extra,
    };
  }

  function start(port: number, extra: Record<string, string> = {}): ServiceProcess {
    const process = ServiceProcess.start('api', env(port, extra));
    processes.push(process);
    return process;
  }

  /** Two API processes with the same settings, once both answer /health. */
  async function startTwo(extra: Record<string, string>) {
    const [portA, portB] = [await freePort(), await freePort()];
    const a = start(portA, extra);
    const b = start(portB, extra);
    // Two API processes compiling from source at once are slow to start on a busy machine.
    await Promise.all([
      waitForHttp(`http://127.0.0.1:${portA}/health`, 200, 150_000),
      waitForHttp(`http://127.0.0.1:${portB}/health`, 200, 150_000),
    ]);
    return { a, b, portA, portB };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = await loadConfig({
      env: { XORB_ENV: 'test', DATABASE_URL: database.url },
      secretsDir: '/nonexistent',
    });
    pool = createPool(config.database, { applicationName: 'test', logger });
    await migrate(pool, logger);
    ({ tenantId } = await provisionTenant(pool, {
      slug: 'multi',
      name: 'multi',
      adminEmail: 'a@multi.test',
      adminPassword: `pw-${randomUUID()}`,
    }));
    ({ key } = await createTestApiKey(pool, { tenantId, role: 'viewer', name: 'k' }));
  });

  afterAll(async () => {
    for (const process of processes) process.kill();
    await pool?.end();
    await database?.drop();
  });

  it('holds one rate limit across two API processes sharing Redis', async () => {
    const { a, b, portA, portB } = await startTwo({
      RATE_LIMIT_MAX_REQUESTS: '6',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let index = 0; index < 10; index += 1) {
      last = await fetch(`http://127.0.0.1:${index % 2 === 0 ? portA : portB}/api/v1/me`, {
        headers: { authorization: `Bearer ${key}` },
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
    expect(last?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last?.headers.get('ratelimit-remaining')).toBe('0');
    expect(last?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await Promise.all([a.stop(), b.stop()]);
  }, 200_000);

  /** api_key_cache_lookups_total by result, from one process's /metrics. */
  async function cacheLookups(port: number): Promise<Record<'hit' | 'miss' | 'bypass', number>> {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const count = (result: string) =>
      Number(
        new RegExp(`^api_key_cache_lookups_total\\{result="${result}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ??
          NaN,
      );
    return { hit: count('hit'), miss: count('miss'), bypass: count('bypass') };
  }

  it('caches API keys per process, and a revocation in one process stops the key in the other at once', async () => {
    // A TTL far longer than the test: only the revocation message can make B forget the key.
    const { a, b, portA, portB } = await startTwo({
      API_KEY_CACHE_TTL: '5m',
      RATE_LIMIT_MAX_REQUESTS: '10000',
    });
    const admin = await createTestApiKey(pool, { tenantId, role: 'admin' });
    const victim = await createTestApiKey(pool, { tenantId, role: 'viewer' });
    const me = (port: number, credential: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/me`, { headers: { authorization: `Bearer ${credential}` } });

    // Each process subscribes to revocations shortly after it starts; until then it does not cache.
    const deadline = Date.now() + 30_000;
    for (const port of [portA, portB]) {
      while ((await cacheLookups(port)).hit < 1) {
        if (Date.now() > deadline)
          throw new Error(`process on ${port} never served an API key from its cache`);
        expect((await me(port, victim.key)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    // Served from B's cache now: its hit count moves, its database reads do not.
    const before = await cacheLookups(portB);
    for (let index = 0; index < 5; index += 1) expect((await me(portB, victim.key)).status).toBe(200);
    const after = await cacheLookups(portB);
    expect(after.hit - before.hit).toBe(5);
    expect(after.miss).toBe(before.miss);
    expect(after.bypass).toBe(before.bypass);

    const revoke = await fetch(`http://127.0.0.1:${portA}/api/v1/api-keys/${victim.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin.key}` },
    });
    expect(revoke.status).toBe(204);
    const refusedByB = await me(portB, victim.key);
    expect(refusedByB.status).toBe(401);
    expect(((await refusedByB.json()) as { detail: string }).detail).toBe(
      'The credentials have been revoked',
    );
    expect((await me(portA, victim.key)).status).toBe(401);
    // Other keys keep working (and keep being cached) in both.
    expect((await me(portB, admin.key)).status).toBe(200);
    expect((await me(portA, admin.key)).status).toBe(200);
    await Promise.all([a.stop(), b.stop()]);
  }, 240_000);

  it('with WORKERS=2 runs two processes on one port, replaces a dead one, sums metrics and drains on SIGTERM', async () => {
    const port = await freePort();
    const primary = start(port, { WORKERS: '2', SHUTDOWN_GRACE_SECONDS: '10' });
    await waitForHttp(`http://127.0.0.1:${port}/health`, 200, 150_000);
    const listening = async (count: number) => {
      await primary.waitForLog(
        () => primary.logs().filter((line) => line.message === 'API listening').length >= count,
        60_000,
      );
      return primary
        .logs()
        .filter((line) => line.message === 'API listening')
        .map((line) => line.pid as number);
    };
    const pids = await listening(2);
    expect(new Set(pids).size).toBe(2);

    for (let index = 0; index < 30; index += 1) await fetch(`http://127.0.0.1:${port}/api/v1/not-here`);
    for (let scrape = 0; scrape < 4; scrape += 1) {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(
        /http_requests_total\{method="GET",route="unmatched",status_code="404",service="api"\} 30\b/,
      );
    }

    process.kill(pids[0] as number, 'SIGKILL');
    const after = await listening(3);
    expect(after[2]).not.toBe(pids[0]);
    await waitForHttp(`http://127.0.0.1:${port}/health`);
    expect(primary.logs().some((line) => line.message === 'API process died; replacing it')).toBe(true);

    const exit = await primary.stop('SIGTERM');
    expect(exit.code).toBe(0);
    for (const pid of after.slice(1)) expect(() => process.kill(pid, 0)).toThrow();
  }, 240_000);
});
