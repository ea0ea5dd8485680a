import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@xorb/config-manager';
import { createPool, ensureTenant, migrate, withTenant, type Pool } from '@xorb/db';
import { createEmbeddingProvider } from '@xorb/embeddings';
import { createLogger } from '@xorb/observability';
import type { FindingDraft } from '@xorb/scanner';
import { createTestDatabase, seedTargetAndScan, type TestDatabase } from '@xorb/testing';
import { persistFindings } from '../src/activities/persist-findings.activity';

const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

const draft = (fingerprint: string): FindingDraft =>
  ({
    checkId: 'http.csp-missing',
    title: 'Content-Security-Policy missing',
    description: 'No CSP header on GET /',
    severity: 'low',
    cwe: 'CWE-693',
    remediation: 'Send a Content-Security-Policy header.',
    evidence: { header: 'content-security-policy' },
    port: 80,
    fingerprint,
  }) as FindingDraft;

/** When the external embeddings provider is down, findings are still stored (without embeddings) and the breaker opens. */
describe('persistFindings with an unavailable embeddings provider', () => {
  let database: TestDatabase;
  let pool: Pool;
  let provider: Server;
  let hits = 0;
  let ids: { tenantId: string; targetId: string; scanId: string };

  beforeAll(async () => {
    provider = createServer((_request, response) => {
      hits += 1;
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"overloaded"}');
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', () => resolve()));
    database = await createTestDatabase();
    const config = await loadConfig({
      env: { XORB_ENV: 'test', DATABASE_URL: database.url },
      secretsDir: '/nonexistent',
    });
    pool = createPool(config.database, { applicationName: 'test', logger });
    await migrate(pool, logger);
    const { tenant } = await ensureTenant(pool, 'persist', 'persist');
    ids = {
      tenantId: tenant.id,
      ...(await withTenant(pool, tenant.id, (client) => seedTargetAndScan(client, tenant.id, '127.0.0.1'))),
    };
  });

  afterAll(async () => {
    provider?.close();
    await pool?.end();
    await database?.drop();
  });

  it('stores findings without embeddings, and stops calling the provider once the breaker opens', async () => {
    const address = provider.address() as { port: number };
    const embedder = createEmbeddingProvider(
      {
        provider: 'openai-compatible',
        model: 'm',
        dimensions: 384,
        url: `http://127.0.0.1:${address.port}/v1`,
        apiKey: undefined,
      },
      { logger, consecutiveFailures: 2, maxRetries: 0, halfOpenAfterMs: 60_000 },
    );
    const findingsCounter = new Counter({
      name: 'f',
      help: 'f',
      labelNames: ['severity', 'outcome'] as const,
      registers: [new Registry()],
    });
    const environment = new MockActivityEnvironment();
    for (const round of [1, 2, 3, 4]) {
      const result = await environment.run(
        persistFindings,
        { pool, embedder, logger, findingsCounter },
        { ...ids, drafts: [draft(`fp-${round}`)] },
      );
      expect(result).toEqual({ findingsNew: 1, findingsSeen: 0 });
    }
    expect(hits).toBe(2);
    const { rows } = await pool.query<{ embedded: number; total: number }>(
      `SELECT count(*) FILTER (WHERE embedding IS NOT NULL)::int AS embedded, count(*)::int AS total FROM findings`,
    );
    expect(rows[0]).toEqual({ embedded: 0, total: 4 });
  });
});
