import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFinding } from '@xorb/testing';
import {
  findTargetQuery,
  listFindingsQuery,
  listScansQuery,
  listTargetsQuery,
  readAsTenant,
  type FindingRow,
  type ScanRow,
  type TargetRow,
} from '../src';
import { twoTenantDatabase, type TwoTenants } from './support/two-tenants';

interface ConnectionState {
  role: string;
  tenant: string | null;
  read_only: string;
  pid: number;
}

async function connectionState(pool: pg.Pool): Promise<ConnectionState> {
  const { rows } = await pool.query<ConnectionState>(
    `SELECT current_user AS role, current_setting('xorb.tenant_id', true) AS tenant,
            current_setting('transaction_read_only') AS read_only, pg_backend_pid() AS pid`,
  );
  return rows[0] as ConnectionState;
}

describe('readAsTenant against real PostgreSQL', () => {
  let tenants: TwoTenants;
  /** One connection: every read reuses the connection the previous one gave back. */
  let pool: pg.Pool;
  let alpha: string;
  let beta: string;
  let alphaTarget: string;
  let betaTarget: string;
  let connectingRole: string;

  beforeAll(async () => {
    tenants = await twoTenantDatabase();
    ({ pool } = tenants);
    [alpha, beta] = [tenants.alpha.id, tenants.beta.id];
    const [seededAlpha, seededBeta] = [tenants.alpha, tenants.beta];
    alphaTarget = seededAlpha.targetId;
    betaTarget = seededBeta.targetId;
    await pool.query(`UPDATE scans SET open_ports = '{22,443}' WHERE id = $1`, [seededAlpha.scanId]);
    await pool.query(`UPDATE targets SET tags = '{web,prod}' WHERE id = $1`, [alphaTarget]);
    await seedFinding(pool, {
      tenantId: alpha,
      targetId: alphaTarget,
      scanId: seededAlpha.scanId,
      fingerprint: 'alpha-1',
      evidence: { header: 'missing', ports: [443], nested: { ok: true } },
    });
    await seedFinding(pool, {
      tenantId: beta,
      targetId: betaTarget,
      scanId: seededBeta.scanId,
      fingerprint: 'beta-1',
    });
    connectingRole = (await connectionState(pool)).role;
  });

  afterAll(async () => {
    await tenants?.close();
  });

  it('reads as xorb_app with the tenant set and the transaction read-only', async () => {
    const [row] = await readAsTenant<{ role: string; tenant: string; read_only: string; in_tx: boolean }>(
      pool,
      alpha,
      {
        text: `SELECT current_user AS role, current_setting('xorb.tenant_id') AS tenant,
                      current_setting('transaction_read_only') AS read_only, $1::text AS echoed`,
        values: ['x'],
      },
    );
    expect(row).toMatchObject({ role: 'xorb_app', tenant: alpha, read_only: 'on' });
  });

  it('takes one round trip: one Sync, one ReadyForQuery', async () => {
    const client = await pool.connect();
    const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
    client.release();
    let readyForQuery = 0;
    const count = () => (readyForQuery += 1);
    connection.on('readyForQuery', count);
    try {
      const rows = await readAsTenant<TargetRow>(pool, alpha, listTargetsQuery(alpha, {}, 50));
      expect(rows).toHaveLength(1);
    } finally {
      connection.off('readyForQuery', count);
    }
    expect(readyForQuery).toBe(1);
  });

  it('is held by row-level security, even for a query that forgets or forges the tenant', async () => {
    const all = await readAsTenant<{ tenant_id: string }>(pool, alpha, {
      text: 'SELECT tenant_id FROM targets UNION ALL SELECT tenant_id FROM findings UNION ALL SELECT tenant_id FROM scans',
    });
    expect(all.length).toBe(3);
    expect(new Set(all.map((row) => row.tenant_id))).toEqual(new Set([alpha]));
    expect(await readAsTenant(pool, alpha, listTargetsQuery(beta, {}, 50))).toEqual([]);
    expect(await readAsTenant(pool, alpha, findTargetQuery(beta, betaTarget))).toEqual([]);
    const [own] = await readAsTenant<TargetRow>(pool, alpha, findTargetQuery(alpha, alphaTarget));
    expect(own?.id).toBe(alphaTarget);
    const [theirs] = await readAsTenant<TargetRow>(pool, beta, findTargetQuery(beta, betaTarget));
    expect(theirs?.id).toBe(betaTarget);
  });

  it('refuses writes: the transaction is read-only', async () => {
    for (const text of [
      `UPDATE targets SET tags = '{written}' RETURNING id`,
      `WITH gone AS (DELETE FROM targets RETURNING id) SELECT id FROM gone`,
      `INSERT INTO targets (tenant_id, kind, value, host, verification_token, created_by)
       VALUES (current_setting('xorb.tenant_id')::uuid, 'hostname', 'x.example', 'x.example', 't', 'test') RETURNING id`,
      `SELECT set_config('transaction_read_only', 'off', true)`,
    ]) {
      const error = await readAsTenant(pool, alpha, { text }).catch((caught: unknown) => caught);
      expect(error, text).toBeInstanceOf(pg.DatabaseError);
      expect((error as pg.DatabaseError).code, text).toMatch(/^(25006|25001)$/);
    }
    const { rows } = await pool.query<{ tags: string[] }>('SELECT tags FROM targets WHERE id = $1', [
      alphaTarget,
    ]);
    expect(rows[0]?.tags).toEqual(['web', 'prod']);
    expect((await pool.query('SELECT count(*)::int AS n FROM targets')).rows[0]).toEqual({ n: 2 });
  });

  it('parses rows with the type parsers: timestamps, json, arrays, numbers, nulls', async () => {
    const [target] = await readAsTenant<TargetRow>(pool, alpha, listTargetsQuery(alpha, {}, 50));
    expect(target?.created_at).toBeInstanceOf(Date);
    expect(target?.verified_at).toBeNull();
    expect(target?.tags).toEqual(['web', 'prod']);
    const [scan] = await readAsTenant<ScanRow>(pool, alpha, listScansQuery(alpha, {}, 50));
    expect(scan?.open_ports).toEqual([22, 443]);
    expect(scan?.progress).toEqual(expect.any(Number));
    const [finding] = await readAsTenant<FindingRow>(pool, alpha, listFindingsQuery(alpha, {}, 50));
    expect(finding?.evidence).toEqual({ header: 'missing', ports: [443], nested: { ok: true } });
    expect(finding?.first_seen).toBeInstanceOf(Date);
    expect(finding?.port).toBe(443);
    const [row] = await readAsTenant<Record<string, unknown>>(pool, alpha, {
      text: `SELECT $1::timestamptz AS at, $2::jsonb AS doc, $3::text[] AS list, $4::int AS n, NULL::text AS nothing,
                    true AS yes, '1.50'::numeric AS amount`,
      values: [new Date('2026-01-02T03:04:05.678Z'), { a: [1, 2] }, ['x', 'y,z'], 7],
    });
    expect(row).toEqual({
      at: new Date('2026-01-02T03:04:05.678Z'),
      doc: { a: [1, 2] },
      list: ['x', 'y,z'],
      n: 7,
      nothing: null,
      yes: true,
      amount: '1.50',
    });
  });

  it("uses the client's own type parsers, not only the global ones", async () => {
    const custom = new pg.Pool({
      connectionString: tenants.database.url,
      max: 1,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20
            ? (value: string) => BigInt(value)
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    try {
      const [row] = await readAsTenant<{ big: bigint }>(custom, alpha, {
        text: 'SELECT 9007199254740993::int8 AS big',
      });
      expect(row?.big).toBe(9007199254740993n);
    } finally {
      await custom.end();
    }
  });

  it("reports a row the client's parser refuses, and the connection stays in step", async () => {
    const strict = new pg.Pool({
      connectionString: tenants.database.url,
      max: 1,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 1700
            ? () => {
                throw new RangeError('no numerics here');
              }
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    try {
      const { pid } = await connectionState(strict);
      await expect(
        readAsTenant(strict, alpha, { text: `SELECT '1.5'::numeric AS n FROM generate_series(1, 3)` }),
      ).rejects.toThrow('no numerics here');
      const [row] = await readAsTenant<{ n: number }>(strict, alpha, { text: 'SELECT 2 AS n' });
      expect(row).toEqual({ n: 2 });
      expect((await connectionState(strict)).pid).toBe(pid);
    } finally {
      await strict.end();
    }
  });

  it('propagates errors as pg DatabaseErrors, and the connection stays usable', async () => {
    const { pid } = await connectionState(pool);
    const cases: Array<[string, unknown[] | undefined, string]> = [
      ['SELEC 1', undefined, '42601'],
      ['SELECT * FROM no_such_table', undefined, '42P01'],
      ['SELECT $1::int AS n', ['not a number'], '22P02'],
      ['SELECT 1; SELECT 2', undefined, '42601'],
      ['SELECT 1/0', undefined, '22012'],
    ];
    for (const [text, values, code] of cases) {
      const error = await readAsTenant(pool, alpha, { text, values }).catch((caught: unknown) => caught);
      expect(error, text).toBeInstanceOf(pg.DatabaseError);
      expect((error as pg.DatabaseError).code, text).toBe(code);
      expect((error as Error).message.length).toBeGreaterThan(0);
    }
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(readAsTenant(pool, alpha, { text: 'SELECT $1::jsonb', values: [circular] })).rejects.toThrow(
      /circular/i,
    );
    const [row] = await readAsTenant<{ n: number }>(pool, alpha, { text: 'SELECT 1 AS n' });
    expect(row).toEqual({ n: 1 });
    expect((await connectionState(pool)).pid).toBe(pid);
  });

  it('prepares each read once per connection, and an error never leaves a half-known statement', async () => {
    const prepared = async () =>
      (
        await pool.query<{ name: string; statement: string }>(
          `SELECT name, statement FROM pg_prepared_statements`,
        )
      ).rows;
    const query = findTargetQuery(alpha, alphaTarget);
    await readAsTenant(pool, alpha, query);
    const once = (await prepared()).filter((row) => row.statement === query.text);
    expect(once).toHaveLength(1);
    expect(once[0]?.name).toMatch(/^xorb_read_\d+$/);
    for (let i = 0; i < 3; i += 1) expect(await readAsTenant(pool, beta, query)).toEqual([]);
    expect((await prepared()).filter((row) => row.statement === query.text)).toHaveLength(1);
    expect((await prepared()).filter((row) => row.name === 'xorb_read_scope')).toHaveLength(1);

    // A read the backend refuses at parse time fails the same way every time (never 26000,
    // "prepared statement does not exist"), and so does one refused at execution.
    for (const [text, code] of [
      ['SELECT no_such_column FROM targets', '42703'],
      ['SELECT 1/0 AS n', '22012'],
    ] as const) {
      for (let i = 0; i < 2; i += 1) {
        const error = await readAsTenant(pool, alpha, { text }).catch((caught: unknown) => caught);
        expect((error as pg.DatabaseError).code, `${text} #${i + 1}`).toBe(code);
      }
    }
    expect(await readAsTenant(pool, alpha, query)).toHaveLength(1);
  });

  it('leaves nothing on the pooled connection, after a read and after an error', async () => {
    const before = await connectionState(pool);
    expect(before.read_only).toBe('off');
    await readAsTenant(pool, alpha, listTargetsQuery(alpha, {}, 50));
    const afterRead = await connectionState(pool);
    await readAsTenant(pool, beta, { text: 'SELECT * FROM no_such_table' }).catch(() => undefined);
    const afterError = await connectionState(pool);
    for (const state of [afterRead, afterError]) {
      expect(state.pid).toBe(before.pid);
      expect(state.role).toBe(connectingRole);
      expect(state.tenant ?? '').toBe('');
      expect(state.read_only).toBe('off');
    }
    // And the connection takes a write again outside readAsTenant.
    await pool.query(`UPDATE targets SET ports = '' WHERE id = $1`, [alphaTarget]);
  });

  it('queues behind other work on the connection and keeps tenants apart when interleaved', async () => {
    const reads = await Promise.all(
      Array.from({ length: 10 }, (_, index) => {
        const tenant = index % 2 === 0 ? alpha : beta;
        return readAsTenant<{ tenant_id: string }>(pool, tenant, {
          text: 'SELECT tenant_id FROM targets',
        }).then((rows) => ({ tenant, rows }));
      }),
    );
    for (const { tenant, rows } of reads) expect(rows).toEqual([{ tenant_id: tenant }]);
  });

  it('refuses a tenant id that is not a UUID', async () => {
    await expect(readAsTenant(pool, 'acme', { text: 'SELECT 1' })).rejects.toThrow(
      /tenant id must be a UUID/,
    );
  });
});
