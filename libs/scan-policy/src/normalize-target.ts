import { isIPv4, isIPv6 } from 'node:net';

export type TargetKind = 'hostname' | 'ipv4' | 'ipv6' | 'url';

export interface NormalizedTarget {
  kind: TargetKind;
  /** Canonical form, unique per tenant: lower-case, punycode, compressed IPv6, no default port. */
  value: string;
  /** What gets resolved and probed: a host name or an IP literal (IPv6 without brackets). */
  host: string;
  /** URL targets only: the port the URL names or implies. */
  port?: number;
}

export type NormalizeResult = { ok: true; target: NormalizedTarget } | { ok: false; reason: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Accepts a host name, an IPv4 or IPv6 address, or an http(s) URL, and returns its canonical form. */
export function normalizeTarget(input: string): NormalizeResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  if (/\s/.test(text)) return { ok: false, reason: 'must not contain white space' };
  if (text.includes('://')) return normalizeUrl(text);
  if (isIPv4(text)) return { ok: true, target: { kind: 'ipv4', value: text, host: text } };
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv6(bare)) {
    const canonical = canonicalIPv6(bare);
    return { ok: true, target: { kind: 'ipv6', value: canonical, host: canonical } };
  }
  if (/^[\d.]+$/.test(text)) return { ok: false, reason: 'is not a valid IPv4 address' };
  const hostname = canonicalHostname(text);
  return hostname.ok
    ? { ok: true, target: { kind: 'hostname', value: hostname.value, host: hostname.value } }
    : hostname;
}

function normalizeUrl(text: string): NormalizeResult {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'URLs must use http or https' };
  if (url.username || url.password) return { ok: false, reason: 'URLs must not carry credentials' };
  const bracketed = url.hostname.startsWith('[');
  const host = bracketed ? url.hostname.slice(1, -1) : url.hostname;
  if (!bracketed && !isIPv4(host)) {
    const hostname = canonicalHostname(host);
    if (!hostname.ok) return hostname;
  }
  url.hash = '';
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return { ok: true, target: { kind: 'url', value: `${url.origin}${path}${url.search}`, host, port } };
}

/** Lower case, punycode (via the WHATWG URL parser), no trailing dot, valid labels. */
function canonicalHostname(text: string): { ok: true; value: string } | { ok: false; reason: string } {
  let ascii: string;
  try {
    ascii = new URL(`http://${text}`).hostname;
  } catch {
    return { ok: false, reason: 'is not a valid host name, IP address or URL' };
  }
  const name = ascii.replace(/\.$/, '');
  if (name.length > 253) return { ok: false, reason: 'is longer than 253 characters' };
  if (!name.split('.').every((label) => LABEL.test(label))) {
    return {
      ok: false,
      reason: 'is not a valid host name (labels are letters, digits and -, at most 63 characters)',
    };
  }
  return { ok: true, value: name };
}

/** The WHATWG URL parser prints IPv6 in its canonical compressed form. */
export function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]`).hostname.slice(1, -1);
}
