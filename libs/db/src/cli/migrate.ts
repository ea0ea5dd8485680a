import { loadConfig } from '@xorb/config-manager';
import { createLogger } from '@xorb/observability';
import { migrate } from '../migrations';
import { createPool } from '../pool';

/** `npm run db:migrate`: applies pending migrations to the configured database. */
async function main(): Promise<number> {
  const config = await loadConfig();
  const logger = createLogger({ service: 'db-migrate', level: config.logging.level });
  const pool = createPool(config.database, { applicationName: 'xorb-migrate', logger, max: 1 });
  try {
    const result = await migrate(pool, logger);
    logger.info(
      { applied: result.applied, already_applied: result.alreadyApplied },
      'Database is up to date',
    );
    return 0;
  } catch (error) {
    logger.error({ error: error instanceof Error ? error.message : String(error) }, 'Migration failed');
    return 1;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`db:migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
