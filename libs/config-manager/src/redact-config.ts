import { type XorbConfig } from './config-types';
import { REDACTED, redactUrl } from './redact-url';

export { REDACTED };

export const UNSET = '[unset]';

/** Where the secrets live in XorbConfig. */
const SECRET_PATHS = new Set([
  'database.password',
  'security.jwtSecret',
  'security.apiKeyPepper',
  'embeddings.apiKey',
]);

function maskSecret(value: unknown): string {
  return value === undefined || value === null || value === '' ? UNSET : REDACTED;
}

function redactValue(value: unknown, path: string): unknown {
  if (SECRET_PATHS.has(path)) return maskSecret(value);
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map((entry, index) => redactValue(entry, `${path}.${index}`));
  if (typeof value === 'object' && value !== null) {
    const dump: Record<string, unknown> = {};
    // getOwnPropertyNames includes the hidden (non-enumerable) secret properties, so they are masked, not lost.
    for (const key of Object.getOwnPropertyNames(value)) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'function') continue;
      dump[key] = redactValue(child, path === '' ? key : `${path}.${key}`);
    }
    return dump;
  }
  return value === undefined ? null : value;
}

/**
 * A plain, JSON-able dump of the configuration for display: every secret replaced by "[redacted]"
 * ("[unset]" when empty), passwords in URLs redacted, and the database URL added (redacted).
 */
export function redactConfig(config: XorbConfig): Record<string, unknown> {
  const dump = redactValue(config, '') as Record<string, unknown>;
  const database = dump['database'] as Record<string, unknown>;
  database['url'] = redactUrl(config.database.getUrl());
  return dump;
}
