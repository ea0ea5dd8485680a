import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '@xorb/observability';
import type { Pool } from './pool';

/**
 * Where the versioned SQL files live (NNNN_description.sql, applied in order):
 * next to the bundle in a built app (dist/apps/api/migrations), else in libs/db.
 */
export const MIGRATIONS_DIR = existsSync(join(__dirname, 'migrations'))
  ? join(__dirname, 'migrations')
  : resolve(__dirname, '../migrations');

/** Any constant works, as long as every replica uses the same one. */
const MIGRATION_LOCK_KEY = 0x786f7262; // "xorb"

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new MigrationError(`${file}: migration files must be named NNNN_description.sql`);
    const sql = await readFile(join(dir, file), 'utf8');
    migrations.push({
      version: match[1] as string,
      name: match[2] as string,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  const versions = new Set<string>();
  for (const migration of migrations) {
    if (versions.has(migration.version))
      throw new MigrationError(`two migrations share version ${migration.version}`);
    versions.add(migration.version);
  }
  return migrations;
}

/**
 * Applies pending migrations, each in its own transaction. A session-level
 * advisory lock serialises concurrent runs, so every replica may call this at start.
 * An applied migration whose file changed since is refused, not re-run.
 */
export async function migrate(pool: Pool, logger: Logger, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await loadMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version     text PRIMARY KEY,
          name        text NOT NULL,
          checksum    text NOT NULL,
          applied_at  timestamptz NOT NULL DEFAULT now()
        )`);
      const { rows } = await client.query<{ version: string; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations',
      );
      const applied = new Map(rows.map((row) => [row.version, row.checksum]));
      const result: MigrationResult = { applied: [], alreadyApplied: 0 };
      for (const migration of migrations) {
        const checksum = applied.get(migration.version);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new MigrationError(
              `migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`,
            );
          }
          result.alreadyApplied += 1;
          continue;
        }
        const started = Date.now();
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            migration.checksum,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new MigrationError(
            `migration ${migration.version}_${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        logger.info(
          { version: migration.version, name: migration.name, duration: (Date.now() - started) / 1000 },
          'Migration applied',
        );
        result.applied.push(`${migration.version}_${migration.name}`);
      }
      return result;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
