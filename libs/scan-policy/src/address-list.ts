import { BlockList, isIP, isIPv6 } from 'node:net';

/**
 * A set of CIDRs and host names (the shape of SCAN_ALLOWLIST and SCAN_DENYLIST),
 * matched against host names and IP addresses. IPv4-mapped IPv6 addresses
 * (::ffff:a.b.c.d) match the IPv4 rules too, so they cannot slip past a denylist.
 */
export class AddressList {
  private readonly blocks = new BlockList();
  private readonly names = new Set<string>();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address, prefix] = entry.split('/');
      const family = address ? isIP(address) : 0;
      if (family === 0) {
        this.names.add(entry.toLowerCase().replace(/\.$/, ''));
        continue;
      }
      const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
      this.blocks.addSubnet(address as string, bits, family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  matchesName(hostname: string): boolean {
    const name = hostname.toLowerCase().replace(/\.$/, '');
    // "example.com" covers its subdomains too.
    for (const entry of this.names) if (name === entry || name.endsWith(`.${entry}`)) return true;
    return false;
  }

  matchesAddress(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    if (this.blocks.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
    const mapped = isIPv6(address) ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address) : null;
    return mapped ? this.blocks.check(mapped[1] as string, 'ipv4') : false;
  }
}
