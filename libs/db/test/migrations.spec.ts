import { mkdtemp, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@xorb/observability';
import { createTestDatabase, type TestDatabase } from '@xorb/testing';
import { loadMigrations, migrate, MigrationError, MIGRATIONS_DIR } from '../src';

const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

describe('migrations against real PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 10 });
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('applies every migration once, even when replicas run them concurrently', async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => migrate(pool, logger)));
    const all = await loadMigrations();
    const appliedByRun = runs.map((run) => run.applied.length);
    expect(appliedByRun.reduce((sum, count) => sum + count, 0)).toBe(all.length);
    expect(appliedByRun.filter((count) => count > 0)).toHaveLength(1);
    const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((row: { version: string }) => row.version)).toEqual(
      all.map((migration) => migration.version),
    );
  });

  it('is a no-op when the database is up to date', async () => {
    const result = await migrate(pool, logger);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toBeGreaterThan(0);
  });

  it('enables pgvector and creates the tenancy tables', async () => {
    const distance = await pool.query<{ d: number }>(`SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector AS d`);
    expect(distance.rows[0]?.d).toBe(1);
    const tenant = await pool.query<{ id: string }>(
      `INSERT INTO tenants (slug, name) VALUES ('acme', 'Acme') RETURNING id`,
    );
    const tenantId = tenant.rows[0]?.id;
    await pool.query(`INSERT INTO users (tenant_id, email, role) VALUES ($1, 'a@acme.test', 'admin')`, [
      tenantId,
    ]);
    await expect(
      pool.query(`INSERT INTO users (tenant_id, email, role) VALUES ($1, 'b@acme.test', 'root')`, [tenantId]),
    ).rejects.toThrow(/users_role_check/);
    await expect(pool.query(`INSERT INTO tenants (slug, name) VALUES ('Bad Slug', 'x')`)).rejects.toThrow(
      /tenants_slug_check/,
    );
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xorb-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await loadMigrations(dir);
    if (!first) throw new Error('no migrations');
    await writeFile(join(dir, `${first.version}_${first.name}.sql`), `${first.sql}\n-- edited\n`);
    await expect(migrate(pool, logger, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(pool, logger, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls back a failing migration and reports which one failed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xorb-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await writeFile(
      join(dir, '9999_broken.sql'),
      'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n',
    );
    await expect(migrate(pool, logger, dir)).rejects.toThrow(/migration 9999_broken failed/);
    const { rows } = await pool.query(`SELECT to_regclass('half_done') AS t`);
    expect(rows[0]?.t).toBeNull();
  });
});

describe('migration files', () => {
  it('rejects a badly named file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xorb-migrations-'));
    await writeFile(join(dir, 'init.sql'), 'SELECT 1;');
    await expect(loadMigrations(dir)).rejects.toThrow(/NNNN_description\.sql/);
  });
});
