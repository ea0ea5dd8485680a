import { cidrsOverlap, parseCidr, type Cidr } from './cidr';
import { isIpAddress } from './ip-address';
import { isHostName } from './parse-host';
import { accept, refuse, type ParseResult } from './parse-result';

/**
 * One scan allowlist or denylist entry: a CIDR block, a bare IP address (normalised to /32 or /128)
 * or a host name (lower-cased).
 */
export function parseNetworkTarget(raw: string): ParseResult<string> {
  const text = raw.trim().toLowerCase();
  const addressPart = text.split('/')[0] ?? '';
  if (text.includes('/') || isIpAddress(addressPart)) {
    const cidr = parseCidr(text);
    if (!cidr.ok) return cidr;
    return accept(text.includes('/') ? text : `${text}/${cidr.value.prefix}`);
  }
  if (/^[\d.]+$/.test(text)) return refuse('is not a valid IPv4 address');
  if (isHostName(text)) return accept(text.replace(/\.$/, ''));
  return refuse('is neither a CIDR block nor a host name');
}

const LOOPBACK_BLOCKS: Cidr[] = ['127.0.0.0/8', '::1/128', '::ffff:127.0.0.0/104'].map((block) => {
  const parsed = parseCidr(block);
  if (!parsed.ok) throw new Error(`invalid built-in block ${block}`);
  return parsed.value;
});

/** Whether a (normalised) entry reaches loopback: overlaps 127.0.0.0/8 or ::1, or names localhost. */
export function targetReachesLoopback(entry: string): boolean {
  if (entry === 'localhost' || entry.endsWith('.localhost')) return true;
  const cidr = parseCidr(entry);
  return cidr.ok && LOOPBACK_BLOCKS.some((loopback) => cidrsOverlap(cidr.value, loopback));
}

/** Whether a (normalised) entry is a block covering every address of its family (/0). */
export function targetCoversEverything(entry: string): boolean {
  const cidr = parseCidr(entry);
  return cidr.ok && cidr.value.prefix === 0;
}
