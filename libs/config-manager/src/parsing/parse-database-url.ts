import { type DatabaseSslMode } from '../config-types';
import { parseHost } from './parse-host';
import { parsePort } from './parse-integer';
import { accept, refuse, type ParseResult } from './parse-result';

/** The parts a DATABASE_URL sets; parts it leaves out come from the POSTGRES_* variables. */
export interface DatabaseUrlParts {
  host: string;
  port?: number;
  name?: string;
  user?: string;
  password?: string;
  ssl?: DatabaseSslMode;
}

const SSL_MODES: readonly DatabaseSslMode[] = ['disable', 'require', 'verify-full'];

function decode(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}

/**
 * `postgres://user:password@host:port/name?sslmode=require` (also `postgresql://`).
 * Reasons never quote the URL: it may contain a password.
 */
export function parseDatabaseUrl(raw: string): ParseResult<DatabaseUrlParts> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return refuse('is not a valid URL: expected postgres://user:password@host:5432/name');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return refuse('must start with postgres:// or postgresql://');
  }
  const host = parseHost(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (!host.ok) return refuse(`has an invalid host: it ${host.reason}`);
  const parts: DatabaseUrlParts = { host: host.value };

  if (url.port !== '') {
    const port = parsePort(url.port);
    if (!port.ok) return refuse(`has an invalid port: it ${port.reason}`);
    parts.port = port.value;
  }
  const user = decode(url.username);
  const password = decode(url.password);
  const name = decode(url.pathname.replace(/^\//, ''));
  if (user === undefined || password === undefined || name === undefined) {
    return refuse('has an invalid percent-encoding');
  }
  if (name.includes('/')) return refuse('has an invalid database name: use /name after the host');
  if (user !== '') parts.user = user;
  if (password !== '') parts.password = password;
  if (name !== '') parts.name = name;

  for (const [key, value] of url.searchParams) {
    if (key !== 'sslmode') {
      return refuse(`has the unsupported parameter "${key}": only sslmode is understood`);
    }
    if (!(SSL_MODES as readonly string[]).includes(value)) {
      return refuse(`has an unsupported sslmode: use one of ${SSL_MODES.join(', ')}`);
    }
    parts.ssl = value as DatabaseSslMode;
  }
  return accept(parts);
}
