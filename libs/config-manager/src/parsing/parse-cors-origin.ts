import { parseHttpOrigin } from './parse-http-url';
import { accept, type ParseResult } from './parse-result';

/** A CORS origin: `*` or an http(s) origin such as https://app.example.com. */
export function parseCorsOrigin(raw: string): ParseResult<string> {
  return raw.trim() === '*' ? accept('*') : parseHttpOrigin(raw);
}

/** Whether an origin points at this machine (localhost, 127.x, [::1]). */
export function isLoopbackOrigin(origin: string): boolean {
  if (origin === '*') return false;
  const host = new URL(origin).hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '[::1]';
}
