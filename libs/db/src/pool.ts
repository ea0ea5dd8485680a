import pg from 'pg';
import type { XorbConfig } from '@xorb/config-manager';
import type { Logger } from '@xorb/observability';

export type Pool = pg.Pool;

export interface CreatePoolOptions {
  /** Shown in pg_stat_activity, so operators can tell the services apart. */
  applicationName: string;
  logger: Logger;
  max?: number;
}

/** The one way to get a PostgreSQL pool: from config-manager's database section. */
export function createPool(database: XorbConfig['database'], options: CreatePoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: database.getUrl(),
    max: options.max ?? database.poolSize,
    application_name: options.applicationName,
    statement_timeout: database.statementTimeoutMs,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ssl: database.ssl === 'disable' ? false : { rejectUnauthorized: database.ssl === 'verify-full' },
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) =>
    options.logger.warn({ error: error.message }, 'Idle PostgreSQL client lost its connection'),
  );
  return pool;
}
