import { parseHost } from './parse-host';
import { parsePort } from './parse-integer';
import { accept, refuse, type ParseResult } from './parse-result';

export interface RedisUrlParts {
  /** The URL with its password removed. */
  urlWithoutPassword: string;
  password?: string;
}

/**
 * `redis://[user[:password]@]host[:port][/db]` or `rediss://` for TLS.
 * Reasons never quote the URL: it may contain a password.
 */
export function parseRedisUrl(raw: string): ParseResult<RedisUrlParts> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return refuse('is not a valid URL: expected redis://host:6379 or rediss://host:6380');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    return refuse('must start with redis:// or rediss://');
  const host = parseHost(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (!host.ok) return refuse(`has an invalid host: it ${host.reason}`);
  if (url.port !== '' && !parsePort(url.port).ok) return refuse('has an invalid port: use 1 to 65535');
  if (!/^(?:\/(?:\d{1,5})?)?$/.test(url.pathname))
    return refuse('has an invalid database index: use /<number> after the host');

  let password: string;
  try {
    password = decodeURIComponent(url.password);
  } catch {
    return refuse('has an invalid percent-encoding');
  }
  url.password = '';
  const parts: RedisUrlParts = { urlWithoutPassword: url.toString() };
  if (password !== '') parts.password = password;
  return accept(parts);
}
