import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@xorb/config-manager';
import { createPool, migrate, type Pool } from '@xorb/db';
import { createLogger } from '@xorb/observability';
import { Redis } from 'ioredis';
import { createTestDatabase, TcpProxy, testServices, type TestDatabase } from '@xorb/testing';
import { ApiKeyCache } from '../src/auth/api-key-cache';
import { provisionTenant } from '../src/identity/provisioning';
import { createTestApiKey } from './support/api-keys';

const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * ApiKeyCache on the real PostgreSQL and Redis; this process's subscription goes
 * through a TCP proxy, so the test can take it away and give it back.
 */
describe('ApiKeyCache', () => {
  let database: TestDatabase;
  let pool: Pool;
  let proxy: TcpProxy;
  let publisher: Redis;
  let prefix: string;
  let keyId: string;
  const keyPrefix = `xorb-akc-${randomUUID().slice(0, 8)}`;
  const caches: ApiKeyCache[] = [];

  async function cache(ttl: string, viaProxy = true): Promise<{ cache: ApiKeyCache; registry: Registry }> {
    const redisUrl = viaProxy ? proxy.rewrite(testServices().redisUrl) : testServices().redisUrl;
    const config = await loadConfig({
      env: {
        XORB_ENV: 'test',
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: keyPrefix,
        API_KEY_CACHE_TTL: ttl,
      },
      secretsDir: '/nonexistent',
    });
    const registry = new Registry();
    const created = new ApiKeyCache(config, pool, publisher, logger, registry);
    created.onModuleInit();
    caches.push(created);
    return { cache: created, registry };
  }

  async function lookups(registry: Registry): Promise<Record<'hit' | 'miss' | 'bypass', number>> {
    const metric = await registry.getSingleMetric('api_key_cache_lookups_total')?.get();
    const count = (result: string) =>
      metric?.values.find((value) => value.labels.result === result)?.value ?? Number.NaN;
    return { hit: count('hit'), miss: count('miss'), bypass: count('bypass') };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = await loadConfig({
      env: { XORB_ENV: 'test', DATABASE_URL: database.url },
      secretsDir: '/nonexistent',
    });
    pool = createPool(config.database, { applicationName: 'test', logger });
    await migrate(pool, logger);
    const { tenantId } = await provisionTenant(pool, {
      slug: 'cache',
      name: 'cache',
      adminEmail: 'a@cache.test',
      adminPassword: `pw-${randomUUID()}`,
    });
    ({ prefix, id: keyId } = await createTestApiKey(pool, { tenantId, role: 'viewer', name: 'k' }));
    proxy = await TcpProxy.forUrl(testServices().redisUrl).start();
    publisher = new Redis(testServices().redisUrl);
  });

  afterAll(async () => {
    for (const created of caches) await created.onModuleDestroy();
    publisher?.disconnect();
    await proxy?.stop();
    await pool?.end();
    await database?.drop();
  });

  it('keeps rows once subscribed, and counts hits, misses and bypasses', async () => {
    const { cache: subject, registry } = await cache('60');
    await until(() => subject.active, 'the cache subscribed');
    expect((await subject.lookup(prefix))?.id).toBe(keyId);
    expect((await subject.lookup(prefix))?.id).toBe(keyId);
    expect((await subject.lookup(prefix))?.id).toBe(keyId);
    expect(await subject.lookup('no-such-prefix')).toBeUndefined();
    expect(await lookups(registry)).toEqual({ hit: 2, miss: 2, bypass: 0 });
  });

  it('serves the kept row until the TTL (changes made behind its back wait), then reads again', async () => {
    const { cache: subject } = await cache('1');
    await until(() => subject.active, 'the cache subscribed');
    expect((await subject.lookup(prefix))?.role).toBe('viewer');
    await pool.query(`UPDATE api_keys SET role = 'analyst' WHERE id = $1`, [keyId]);
    expect((await subject.lookup(prefix))?.role).toBe('viewer');
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await subject.lookup(prefix))?.role).toBe('analyst');
    await pool.query(`UPDATE api_keys SET role = 'viewer' WHERE id = $1`, [keyId]);
  });

  it('drops a revoked row at once, here and in another process', async () => {
    const { cache: here } = await cache('60');
    const { cache: there, registry } = await cache('60', false);
    await until(() => here.active && there.active, 'both caches subscribed');
    await here.lookup(prefix);
    await there.lookup(prefix);
    await pool.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [keyId]);
    await here.revoked({ prefix });
    expect((await here.lookup(prefix))?.revoked_at).toBeInstanceOf(Date);
    await until(async () => (await there.lookup(prefix))?.revoked_at != null, 'the other cache dropped it');
    expect((await lookups(registry)).miss).toBe(2);
    await pool.query(`UPDATE api_keys SET revoked_at = NULL WHERE id = $1`, [keyId]);
    await here.revoked({ prefix });
  });

  it('keeps nothing while its subscription is down, and resumes once it is back', async () => {
    const { cache: subject, registry } = await cache('60');
    await until(() => subject.active, 'the cache subscribed');
    await subject.lookup(prefix);
    await proxy.cut();
    await until(() => !subject.active, 'the cache noticed the lost subscription');
    const before = await lookups(registry);
    await pool.query(`UPDATE api_keys SET role = 'admin' WHERE id = $1`, [keyId]);
    // Not the row it held before the cut: every lookup reads the database now.
    expect((await subject.lookup(prefix))?.role).toBe('admin');
    await pool.query(`UPDATE api_keys SET role = 'viewer' WHERE id = $1`, [keyId]);
    expect((await subject.lookup(prefix))?.role).toBe('viewer');
    const during = await lookups(registry);
    expect(during.bypass - before.bypass).toBe(2);
    expect(during.hit).toBe(before.hit);
    await proxy.restore();
    await until(() => subject.active, 'the cache subscribed again', 30_000);
    await subject.lookup(prefix);
    await subject.lookup(prefix);
    const after = await lookups(registry);
    expect(after.miss - during.miss).toBe(1);
    expect(after.hit - during.hit).toBe(1);
  }, 60_000);

  it('with API_KEY_CACHE_TTL=0 reads every time and opens no subscription', async () => {
    const { cache: subject, registry } = await cache('0');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(subject.active).toBe(false);
    await subject.lookup(prefix);
    await subject.lookup(prefix);
    expect(await lookups(registry)).toEqual({ hit: 0, miss: 0, bypass: 2 });
  });
});
