import { isIpAddress, parseIPv6 } from './ip-address';
import { accept, refuse, type ParseResult } from './parse-result';

// RFC 1123 labels; underscores are tolerated because container and compose names use them.
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;

/** A DNS host name (not an IP address): labels of letters, digits, '-' and '_', last label not all digits. */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name === '' || name.length > 253) return false;
  const labels = name.split('.');
  const last = labels[labels.length - 1] ?? '';
  return labels.every((label) => LABEL.test(label)) && !/^\d+$/.test(last);
}

/** A host name or an IP address (IPv6 without brackets), lower-cased, trailing dot removed. */
export function parseHost(raw: string): ParseResult<string> {
  const text = raw.trim().toLowerCase();
  if (isIpAddress(text)) return accept(text);
  if (isHostName(text)) return accept(text.replace(/\.$/, ''));
  return refuse('must be a host name or an IP address');
}

/** The host as written inside a URL or a `host:port` address: IPv6 goes in brackets. */
export function hostForAddress(host: string): string {
  return parseIPv6(host) ? `[${host}]` : host;
}
