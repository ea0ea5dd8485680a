import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, type XorbConfig } from '@xorb/config-manager';
import type { api } from '@xorb/contracts';
import { createPool, migrate, type Pool } from '@xorb/db';
import { createLogger, createMetricsRegistry, ShutdownCoordinator, type Logger } from '@xorb/observability';
import { closeRedis, createRedisConnection, type Redis } from '@xorb/redis';
import type { Connection } from '@temporalio/client';
import { createEmbeddingProvider } from '@xorb/embeddings';
import { connectTemporalClient } from '@xorb/temporal';
import { closeProducers, openProducers, type Producers } from '@xorb/queues';
import { createTestDatabase, testServices, type TestDatabase } from '@xorb/testing';
import { createApiApp } from '../../src/create-app';
import { provisionTenant } from '../../src/identity/provisioning';
import { createTestApiKey } from './api-keys';

export interface SeededTenant {
  id: string;
  slug: string;
  adminEmail: string;
  adminPassword: string;
  keys: Record<api.Role, string>;
}

export interface InjectResult {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * The real API application (in process, requests through Fastify's inject)
 * over a fresh, migrated database and the real Redis: the one fixture the
 * API's end-to-end suites share.
 */
export class ApiFixture {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: XorbConfig,
    readonly pool: Pool,
    readonly redis: Redis,
    private readonly database: TestDatabase,
    private readonly temporalConnection: Connection,
    readonly producers: Producers,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<ApiFixture> {
    const services = testServices();
    const database = await createTestDatabase();
    const config = await loadConfig({
      env: {
        XORB_ENV: 'test',
        DATABASE_URL: database.url,
        REDIS_URL: services.redisUrl,
        TEMPORAL_HOST: services.temporalAddress,
        REDIS_KEY_PREFIX: `xorb-test-${randomUUID().slice(0, 8)}`,
        RATE_LIMIT_MAX_REQUESTS: '100000',
        ...env,
      },
      secretsDir: '/nonexistent',
    });
    // Errors only: a 500 in a test then shows its cause in the test output.
    const logger: Logger = createLogger({ service: 'api', level: 'error', destination: process.stderr });
    const pool = createPool(config.database, { applicationName: 'xorb-api-test', logger });
    await migrate(pool, logger);
    const redis = createRedisConnection(config.redis, { connectionName: 'xorb-api-test', logger });
    const temporal = connectTemporalClient(config.temporal);
    const producers = openProducers(config.redis, redis, logger);
    const app = await createApiApp({
      config,
      logger,
      registry: createMetricsRegistry('api'),
      checks: [],
      shutdown: new ShutdownCoordinator({ logger, graceSeconds: 5 }),
      pool,
      redis,
      temporal: temporal.client,
      producers,
      embedder: createEmbeddingProvider(config.embeddings, { logger }),
    });
    await app.getHttpAdapter().getInstance().ready();
    return new ApiFixture(app, config, pool, redis, database, temporal.connection, producers);
  }

  /** A tenant with an admin (password sign-in) and one API key per role. */
  async seedTenant(slug = `t${randomUUID().slice(0, 8)}`): Promise<SeededTenant> {
    const adminEmail = `admin@${slug}.test`;
    const adminPassword = `pw-${randomUUID()}`;
    const { tenantId } = await provisionTenant(this.pool, { slug, name: slug, adminEmail, adminPassword });
    const keys = {} as Record<api.Role, string>;
    for (const role of ['admin', 'analyst', 'viewer'] as const) {
      const created = await createTestApiKey(this.pool, {
        tenantId,
        role,
        name: `${role} key`,
        pepper: this.config.security.apiKeyPepper,
      });
      keys[role] = created.key;
    }
    return { id: tenantId, slug, adminEmail, adminPassword, keys };
  }

  async request(
    method: string,
    url: string,
    options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<InjectResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let payload: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    if (options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    const response = await this.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: method as 'GET', url, headers, payload });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      json: <T>() => JSON.parse(response.body) as T,
    };
  }

  async stop(): Promise<void> {
    await this.app.close();
    await closeProducers(this.producers);
    await closeRedis(this.redis);
    await this.temporalConnection.close();
    await this.pool.end();
    await this.database.drop();
  }
}
