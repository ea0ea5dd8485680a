import type { PoolClient } from 'pg';
import type { Pool } from './pool';

/**
 * Runs `work` in one transaction as the role xorb_app with the tenant set, so
 * PostgreSQL's row-level security confines every statement to that tenant.
 * Queries filter by tenant as well; RLS is the net under them.
 */
export async function withTenant<T>(
  pool: Pool,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL ROLE xorb_app');
    await client.query(`SELECT set_config('xorb.tenant_id', $1, true)`, [tenantId]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** One transaction as the connecting role: for work that precedes knowing the tenant (sign-in, bootstrap). */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
