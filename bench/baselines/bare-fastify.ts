/**
 * API baseline: a bare Fastify server (no Nest, no guards, no interceptors) answering
 * GET /health and GET /api/v1/targets with the same SQL the API runs, on the same kind
 * of pool (libs/db createPool from the same configuration) against the same database.
 *
 *   BENCH_PORT, BENCH_TENANT_ID, DATABASE_URL, WORKERS (processes on one port, node:cluster)
 *   BENCH_IO            which of the API's per-request round trips to add, comma-separated
 *                       (empty, the default: the list query alone, the issue's baseline):
 *                         key        SELECT the API key by prefix (and check its hash)
 *                         touch      UPDATE api_keys.last_used_at (at most once a minute)
 *                         ratelimit  the rate limiter's EVAL in Redis (REDIS_URL, REDIS_KEY_PREFIX)
 *                         tenant-tx  the list inside a tenant transaction as withTenant ran it before issue 9:
 *                                    BEGIN, SET LOCAL ROLE, set_config, SELECT, COMMIT, one round trip each
 *                       "all" = every one of them, as the API did before issue 9's changes
 *                         (BENCH_API_KEY_PREFIX names the key)
 *                       "proposed" = the same work with fewer round trips (the fix proposed in the
 *                         bench report): key SELECT; touch at most once a minute per key and process
 *                         (remembered in memory); the rate-limit script by EVALSHA; the tenant
 *                         transaction opened in one round trip (libs/db withTenant: BEGIN, SET LOCAL
 *                         ROLE and set_config in one query), then the SELECT and COMMIT
 *                       "single-trip" = as "proposed", but the whole tenant transaction (BEGIN, set_config,
 *                         the list SELECT with its values inlined as literals, COMMIT) in ONE
 *                         simple-protocol round trip: the ceiling of what fewer round trips can give
 *                       "current" = what the API does now: API key rows cached (BENCH_KEY_CACHE_MS), touch
 *                         at most once a minute, EVALSHA, and the list through readAsTenant (libs/db:
 *                         set_config of role, tenant and read-only, then the parameterised SELECT,
 *                         extended protocol, one Sync: one round trip)
 */
import cluster from 'node:cluster';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig } from '@xorb/config-manager';
import {
  createPool,
  findApiKeyByPrefix,
  listTargets,
  listTargetsQuery,
  readAsTenant,
  toPage,
  touchApiKey,
  withTenant,
  type TargetRow,
} from '@xorb/db';
import { createLogger } from '@xorb/observability';

const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}
`;

const workers = Number(process.env.WORKERS ?? '1');
const port = Number(process.env.BENCH_PORT);
const tenantId = process.env.BENCH_TENANT_ID as string;
const STEPS = ['key', 'touch', 'ratelimit', 'tenant-tx'] as const;
const requested = (process.env.BENCH_IO ?? '')
  .split(',')
  .map((step) => step.trim())
  .filter(Boolean);
const singleTrip = requested.includes('single-trip');
const current = requested.includes('current');
const proposed = requested.includes('proposed') || singleTrip || current;
const steps = new Set<string>(requested.includes('all') || proposed ? STEPS : requested);
const TARGET_COLUMNS =
  'id, tenant_id, kind, value, host, tags, ports, verification_token, verified_at, verified_by_method, created_by, created_at, updated_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function serve(): Promise<void> {
  const config = await loadConfig({ env: { ...process.env, WORKERS: '1' }, secretsDir: '/nonexistent' });
  const logger = createLogger({ service: 'bench-baseline', level: 'warn' });
  const pool = createPool(config.database, { applicationName: 'xorb-bench-baseline', logger });
  const redis = steps.has('ratelimit') ? new Redis(process.env.REDIS_URL as string) : undefined;
  const keyPrefix = process.env.BENCH_API_KEY_PREFIX ?? '';
  redis?.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  const touched = new Map<string, number>();
  // BENCH_KEY_CACHE_MS (proposed only): remember API key rows this long instead of reading them per request.
  const keyCacheMs = Number(process.env.BENCH_KEY_CACHE_MS ?? '0');
  const keyCache = new Map<string, { row: Awaited<ReturnType<typeof findApiKeyByPrefix>>; at: number }>();
  const lookupKey = async (prefix: string) => {
    const cached = keyCache.get(prefix);
    if (proposed && keyCacheMs > 0 && cached && Date.now() - cached.at < keyCacheMs) return cached.row;
    const found = await findApiKeyByPrefix(pool, prefix);
    if (keyCacheMs > 0) keyCache.set(prefix, { row: found, at: Date.now() });
    return found;
  };
  const app = Fastify({ logger: false });

  app.get('/health', async () => ({ status: 'ok', service: 'baseline' }));

  app.get('/api/v1/targets', async (_request, reply) => {
    let tenant = tenantId;
    let keyId = 'bench';
    if (steps.has('key') || steps.has('touch')) {
      const key = await lookupKey(keyPrefix);
      if (!key) return reply.code(401).send({ error: 'no key' });
      tenant = key.tenant_id;
      keyId = key.id;
      if (steps.has('touch') && !(proposed && Date.now() - (touched.get(key.id) ?? 0) < 60_000)) {
        await touchApiKey(pool, key.id);
        touched.set(key.id, Date.now());
      }
    }
    if (redis) {
      const window = Math.floor(Date.now() / 1000 / 60);
      const key = `${config.redis.keyPrefix}:ratelimit:api_key:${keyId}:${window}`;
      if (proposed)
        await (redis as unknown as { rateLimitHit(key: string, ms: string): Promise<unknown> }).rateLimitHit(
          key,
          '60000',
        );
      else await redis.eval(HIT_SCRIPT, 1, key, '60000');
    }
    if (proposed) {
      if (!UUID.test(tenant)) return reply.code(400).send({ error: 'bad tenant' });
      if (current)
        return toPage(
          await readAsTenant<TargetRow>(pool, tenant, listTargetsQuery(tenant, {}, 50)),
          50,
          (row) => row,
        );
      if (singleTrip) {
        // Several statements in one simple-protocol query; the only value inlined is the checked UUID.
        const results = (await pool.query(
          `BEGIN; SELECT set_config('role', 'xorb_app', true), set_config('xorb.tenant_id', '${tenant}', true);
           SELECT ${TARGET_COLUMNS} FROM targets WHERE tenant_id = '${tenant}' ORDER BY created_at DESC, id DESC LIMIT 51;
           COMMIT`,
        )) as unknown as Array<{ rows: TargetRow[] }>;
        return toPage(results[2]?.rows ?? [], 50, (row) => row);
      }
      // libs/db withTenant: BEGIN, SET LOCAL ROLE and set_config in one round trip, then SELECT, COMMIT.
      return withTenant(pool, tenant, async (client) =>
        toPage(await listTargets(client, tenant, {}, 50), 50, (row) => row),
      );
    }
    if (steps.has('tenant-tx')) {
      // withTenant as it was before issue 9's changes: one round trip per statement.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL ROLE xorb_app');
        await client.query(`SELECT set_config('xorb.tenant_id', $1, true)`, [tenant]);
        const page = toPage(await listTargets(client, tenant, {}, 50), 50, (row) => row);
        await client.query('COMMIT');
        return page;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }
    return toPage(await listTargets(pool, tenant, {}, 50), 50, (row) => row);
  });

  const close = async () => {
    await app.close();
    await pool.end();
    redis?.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void close());
  process.once('SIGINT', () => void close());
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ event: 'listening', pid: process.pid })}\n`);
}

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  for (let index = 0; index < workers; index += 1) {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if ((message as { event?: string }).event === 'listening' && ++listening === workers)
        process.stdout.write(`${JSON.stringify({ event: 'ready', workers })}\n`);
    });
  }
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  void serve().then(() => {
    if (cluster.isWorker) process.send?.({ event: 'listening' });
    else process.stdout.write(`${JSON.stringify({ event: 'ready', workers: 1 })}\n`);
  });
}
