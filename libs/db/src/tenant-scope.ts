import type { PoolClient } from 'pg';
import type { Pool } from './pool';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refuses anything but a UUID: the tenant id is inlined into SQL, so nothing else may get that far. */
export function assertTenantId(tenantId: string): void {
  if (typeof tenantId !== 'string' || !UUID.test(tenantId))
    throw new TypeError(`tenant id must be a UUID, got ${JSON.stringify(String(tenantId).slice(0, 64))}`);
}

/**
 * Runs `work` in one transaction as the role xorb_app with the tenant set, so
 * PostgreSQL's row-level security confines every statement to that tenant.
 * Queries filter by tenant as well; RLS is the net under them.
 *
 * The transaction opens in one round trip: BEGIN, SET LOCAL ROLE and the tenant's
 * set_config travel as one simple-protocol query (which cannot carry parameters,
 * so the tenant id is checked to be a UUID and inlined). Both settings are LOCAL:
 * COMMIT or ROLLBACK ends them, and the pooled connection goes back clean.
 */
export async function withTenant<T>(
  pool: Pool,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  assertTenantId(tenantId);
  const client = await pool.connect();
  try {
    await client.query(
      `BEGIN; SET LOCAL ROLE xorb_app; SELECT set_config('xorb.tenant_id', '${tenantId.toLowerCase()}', true)`,
    );
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
