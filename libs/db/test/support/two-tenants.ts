import { Writable } from 'node:stream';
import pg from 'pg';
import { createLogger } from '@xorb/observability';
import { createTestDatabase, seedTargetAndScan, type TestDatabase } from '@xorb/testing';
import { migrate } from '../../src';

const silentLogger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

export interface TwoTenants {
  database: TestDatabase;
  /** One connection, so every use gets the very connection the previous one released. */
  pool: pg.Pool;
  alpha: { id: string; targetId: string; scanId: string };
  beta: { id: string; targetId: string; scanId: string };
  close(): Promise<void>;
}

/** A fresh migrated database with tenants alpha and beta, each with a target (alpha.example, beta.example) and a scan. */
export async function twoTenantDatabase(): Promise<TwoTenants> {
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  await migrate(pool, silentLogger);
  const tenants = await pool.query<{ id: string }>(
    `INSERT INTO tenants (slug, name) VALUES ('alpha', 'Alpha'), ('beta', 'Beta') RETURNING id`,
  );
  const [alpha, beta] = tenants.rows.map((row) => row.id) as [string, string];
  return {
    database,
    pool,
    alpha: { id: alpha, ...(await seedTargetAndScan(pool, alpha, 'alpha.example')) },
    beta: { id: beta, ...(await seedTargetAndScan(pool, beta, 'beta.example')) },
    async close() {
      await pool.end();
      await database.drop();
    },
  };
}
