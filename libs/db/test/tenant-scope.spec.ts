import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src';
import { twoTenantDatabase, type TwoTenants } from './support/two-tenants';

/** What a connection looks like outside any tenant transaction. */
async function connectionState(pool: pg.Pool) {
  const { rows } = await pool.query<{ role: string; tenant: string | null; pid: number; in_tx: boolean }>(
    `SELECT current_user AS role, current_setting('xorb.tenant_id', true) AS tenant, pg_backend_pid() AS pid,
            now() <> statement_timestamp() AS in_tx`,
  );
  return rows[0] as { role: string; tenant: string | null; pid: number; in_tx: boolean };
}

describe('withTenant against real PostgreSQL', () => {
  let tenants: TwoTenants;
  /** One connection, so every test reuses the very connection the previous one released. */
  let pool: pg.Pool;
  let alpha: string;
  let beta: string;
  let connectingRole: string;

  beforeAll(async () => {
    tenants = await twoTenantDatabase();
    ({ pool } = tenants);
    [alpha, beta] = [tenants.alpha.id, tenants.beta.id];
    connectingRole = (await connectionState(pool)).role;
  });

  afterAll(async () => {
    await tenants?.close();
  });

  it('opens the transaction in one round trip, as xorb_app with the tenant set', async () => {
    const seen = await withTenant(pool, alpha, async (client) => {
      const { rows } = await client.query<{ role: string; tenant: string }>(
        `SELECT current_user AS role, current_setting('xorb.tenant_id') AS tenant`,
      );
      return rows[0];
    });
    expect(seen).toMatchObject({ role: 'xorb_app', tenant: alpha });

    // Count the queries withTenant itself sends around the work: one to open, one to commit.
    const sent: string[] = [];
    const client = await pool.connect();
    const query = client.query.bind(client);
    (client as unknown as { query: typeof client.query }).query = ((...args: Parameters<typeof query>) => {
      sent.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
      return query(...args);
    }) as typeof client.query;
    client.release();
    try {
      await withTenant(pool, alpha, async () => undefined);
    } finally {
      (client as unknown as { query: typeof client.query }).query = query;
    }
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(
      /^BEGIN; SET LOCAL ROLE xorb_app; SELECT set_config\('xorb\.tenant_id', '[0-9a-f-]{36}', true\)$/,
    );
    expect(sent[1]).toBe('COMMIT');
  });

  it('runs every statement of the work in one transaction', async () => {
    const ids = await withTenant(pool, alpha, async (client) => {
      const first = await client.query<{ xid: string }>('SELECT txid_current()::text AS xid');
      const second = await client.query<{ xid: string }>('SELECT txid_current()::text AS xid');
      return [first.rows[0]?.xid, second.rows[0]?.xid];
    });
    expect(ids[0]).toBe(ids[1]);
  });

  it('confines reads and writes to the tenant by row-level security, even without a tenant filter', async () => {
    const visible = await withTenant(pool, alpha, async (client) => ({
      targets: (await client.query<{ tenant_id: string }>('SELECT tenant_id FROM targets')).rows,
      scans: (await client.query<{ tenant_id: string }>('SELECT tenant_id FROM scans')).rows,
      tenants: (await client.query<{ id: string }>('SELECT id FROM tenants')).rows,
    }));
    expect(visible.targets.map((row) => row.tenant_id)).toEqual([alpha]);
    expect(visible.scans.map((row) => row.tenant_id)).toEqual([alpha]);
    expect(visible.tenants.map((row) => row.id)).toEqual([alpha]);
    const updated = await withTenant(pool, alpha, (client) =>
      client.query(`UPDATE targets SET tags = '{stolen}' WHERE tenant_id = $1`, [beta]),
    );
    expect(updated.rowCount).toBe(0);
    await expect(
      withTenant(pool, alpha, (client) =>
        client.query(
          `INSERT INTO targets (tenant_id, kind, value, host, verification_token, created_by)
           VALUES ($1, 'hostname', 'planted.example', 'planted.example', 't', 'test')`,
          [beta],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('leaves nothing on the pooled connection after a commit', async () => {
    const before = await connectionState(pool);
    await withTenant(pool, alpha, (client) => client.query(`UPDATE targets SET tags = '{committed}'`));
    const after = await connectionState(pool);
    expect(after.pid).toBe(before.pid);
    expect(after.role).toBe(connectingRole);
    expect(after.tenant ?? '').toBe('');
    expect(after.in_tx).toBe(false);
    const { rows } = await pool.query<{ tags: string[] }>('SELECT tags FROM targets WHERE tenant_id = $1', [
      alpha,
    ]);
    expect(rows[0]?.tags).toEqual(['committed']);
  });

  it('leaves nothing on the pooled connection after a rollback, and undoes the work', async () => {
    const before = await connectionState(pool);
    await expect(
      withTenant(pool, beta, async (client) => {
        await client.query(`UPDATE targets SET tags = '{rolled-back}'`);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    await expect(
      withTenant(pool, beta, (client) => client.query('SELECT * FROM no_such_table')),
    ).rejects.toThrow(/no_such_table/);
    const after = await connectionState(pool);
    expect(after.pid).toBe(before.pid);
    expect(after.role).toBe(connectingRole);
    expect(after.tenant ?? '').toBe('');
    expect(after.in_tx).toBe(false);
    const { rows } = await pool.query<{ tags: string[] }>('SELECT tags FROM targets WHERE tenant_id = $1', [
      beta,
    ]);
    expect(rows[0]?.tags).toEqual([]);
  });

  it('refuses a tenant id that is not a UUID before it reaches the database', async () => {
    for (const bad of [
      "00000000-0000-0000-0000-000000000000', true); SET ROLE postgres; --",
      'acme',
      '',
      `${alpha} `,
    ]) {
      await expect(withTenant(pool, bad, async () => 'ran')).rejects.toThrow(/tenant id must be a UUID/);
    }
    expect((await connectionState(pool)).role).toBe(connectingRole);
  });
});
