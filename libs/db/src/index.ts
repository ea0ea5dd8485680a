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
export { withTenant, withTransaction, assertTenantId } from './tenant-scope';
export { readAsTenant, type ReadQuery } from './read-as-tenant';
export { encodeCursor, decodeCursor, toPage, type Cursor, type Page } from './pagination';
export type { Queryable } from './queryable';
export * from './repositories';
export { assertEmbeddingDimensions, EmbeddingDimensionsMismatch } from './embedding-dimensions';
