export { createPool, type Pool, type CreatePoolOptions } from './pool';
export {
  migrate,
  loadMigrations,
  MigrationError,
  MIGRATIONS_DIR,
  type Migration,
  type MigrationResult,
} from './migrations';
export { postgresReadiness } from './readiness';
