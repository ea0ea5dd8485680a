import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig, type XorbConfig } from '@xorb/config-manager';
import { createPool, migrate, type Pool } from '@xorb/db';
import { createLogger, type Logger } from '@xorb/observability';
// Single modules of libs/testing: its index also loads vitest, which a plain tsx process cannot.
import { createTestDatabase, type TestDatabase } from '../../libs/testing/src/test-database';
import { testServices, type TestServices } from '../../libs/testing/src/test-services';

/** A logger that writes nowhere: the bench prints its own progress. */
export const silentLogger: Logger = createLogger({
  service: 'bench',
  level: 'silent',
  destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
});

/** The loopback services of scripts/services.sh (XORB_TEST_* variables). */
export function services(): TestServices {
  return testServices();
}

/** A short unique id for queue prefixes, task queues and names, so a run never meets another's work. */
export function runTag(): string {
  return randomBytes(4).toString('hex');
}

/** The configuration an app would load with these variables (test profile, no secrets directory). */
export function configFor(env: Record<string, string>): Promise<XorbConfig> {
  return loadConfig({ env: { XORB_ENV: 'test', ...env }, secretsDir: '/nonexistent' });
}

export interface BenchDatabase {
  database: TestDatabase;
  config: XorbConfig;
  pool: Pool;
  close(): Promise<void>;
}

/** A fresh database on the test PostgreSQL with every migration applied, dropped by close(). */
export async function benchDatabase(poolSize?: number): Promise<BenchDatabase> {
  const database = await createTestDatabase('xorb_bench');
  const config = await configFor({
    DATABASE_URL: database.url,
    ...(poolSize ? { DATABASE_POOL_SIZE: String(poolSize) } : {}),
  });
  const pool = createPool(config.database, { applicationName: 'xorb-bench', logger: silentLogger });
  try {
    await migrate(pool, silentLogger);
  } catch (error) {
    await pool.end();
    await database.drop();
    throw error;
  }
  return {
    database,
    config,
    pool,
    async close() {
      await pool.end().catch(() => undefined);
      await database.drop();
    },
  };
}

/**
 * The variables every app process of the bench gets: the test profile, quiet logs, the
 * bench's own database, Redis key prefix and task queue.
 */
export function appEnv(options: {
  databaseUrl: string;
  redisKeyPrefix: string;
  taskQueue?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const svc = services();
  return {
    XORB_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: svc.redisUrl,
    REDIS_KEY_PREFIX: options.redisKeyPrefix,
    TEMPORAL_HOST: svc.temporalAddress,
    TEMPORAL_TASK_QUEUE: options.taskQueue ?? `xorb-bench-${runTag()}`,
    ...options.extra,
  };
}
