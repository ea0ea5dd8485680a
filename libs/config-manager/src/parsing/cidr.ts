import { parseIpAddress, type IpAddress } from './ip-address';
import { accept, refuse, type ParseResult } from './parse-result';

/** An address block: network address and prefix length. */
export interface Cidr extends IpAddress {
  prefix: number;
}

function bitAt(bytes: number[], index: number): number {
  return ((bytes[index >> 3] ?? 0) >> (7 - (index & 7))) & 1;
}

/** `a.b.c.d/n` or `v6::/n`; a bare address is a single-address block (/32 or /128). Host bits must be zero. */
export function parseCidr(text: string): ParseResult<Cidr> {
  const [addressText = '', prefixText, ...rest] = text.split('/');
  const address = parseIpAddress(addressText);
  if (!address || rest.length > 0) return refuse('is not an IP address or CIDR block');
  const maxPrefix = address.family === 4 ? 32 : 128;
  if (prefixText === undefined) return accept({ ...address, prefix: maxPrefix });
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    return refuse(`has an invalid prefix length: IPv${address.family} prefixes are 0 to ${maxPrefix}`);
  }
  const prefix = Number(prefixText);
  for (let bit = prefix; bit < maxPrefix; bit += 1) {
    if (bitAt(address.bytes, bit) !== 0) return refuse(`has host bits set after the /${prefix} prefix`);
  }
  return accept({ ...address, prefix });
}

/** Whether two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const shared = Math.min(a.prefix, b.prefix);
  for (let bit = 0; bit < shared; bit += 1) {
    if (bitAt(a.bytes, bit) !== bitAt(b.bytes, bit)) return false;
  }
  return true;
}
