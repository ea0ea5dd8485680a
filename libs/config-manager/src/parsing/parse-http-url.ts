import { accept, refuse, type ParseResult } from './parse-result';

/** An http:// or https:// URL without credentials; the answer has no trailing slash. */
export function parseHttpUrl(raw: string): ParseResult<string> {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('must be an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return refuse('must be an http:// or https:// URL');
  if (url.username !== '' || url.password !== '') return refuse('must not contain credentials');
  if (url.hostname === '') return refuse('must name a host');
  return accept(text.replace(/\/+$/, ''));
}

/** An http(s) URL that is only an origin (scheme, host, port): no path, query or fragment. */
export function parseHttpOrigin(raw: string): ParseResult<string> {
  const url = parseHttpUrl(raw);
  if (!url.ok) return url;
  const parsed = new URL(url.value);
  if (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '') {
    return refuse('must be an origin like https://example.com (no path, query or fragment)');
  }
  return accept(parsed.origin);
}
