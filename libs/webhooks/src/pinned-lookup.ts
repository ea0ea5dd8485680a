import { isIP, type LookupFunction } from 'node:net';

/**
 * A `lookup` for node:http(s) that answers every name with one vetted address, so the
 * connection goes there while Host and TLS SNI/certificate checks still use the URL's name.
 */
export function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  if (family === 0) throw new TypeError('pinnedAddress must be an IP address from assertDeliverable');
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}
