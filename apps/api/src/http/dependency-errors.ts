/** PostgreSQL SQLSTATEs that mean the database is unreachable or overloaded, not that the query was wrong. */
const PG_UNAVAILABLE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * Names the dependency when an error means Postgres or Redis is unavailable, so
 * the API answers 503 with Retry-After (a retry will work) instead of 500.
 */
export function unavailableDependency(error: unknown): 'postgres' | 'redis' | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  if (code && PG_UNAVAILABLE.has(code)) return 'postgres';
  if (
    name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|Connection is closed/.test(message ?? '')
  )
    return 'redis';
  if (code && SOCKET_ERRORS.has(code)) return /redis/i.test(message ?? '') ? 'redis' : 'postgres';
  if (/timeout exceeded when trying to connect|Connection terminated/.test(message ?? '')) return 'postgres';
  return undefined;
}
