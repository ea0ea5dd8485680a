import { BlockList, isIPv4 } from 'node:net';
import { AddressList } from '@xorb/scan-policy';
import { embeddedIPv4 } from './embedded-ipv4';

/**
 * Cloud metadata and credential endpoints: never a webhook receiver, whatever the
 * environment or allowlist says. AWS/Azure/GCP/Oracle IMDS, AWS IMDS over IPv6, the
 * ECS and EKS Pod Identity credential endpoints, and Alibaba Cloud's metadata server.
 */
export const METADATA_ENDPOINTS: readonly string[] = [
  '169.254.169.254',
  'fd00:ec2::254',
  '169.254.170.2',
  '169.254.170.23',
  'fd00:ec2::23',
  '100.100.100.200',
  'metadata.google.internal',
];

const metadata = new AddressList(METADATA_ENDPOINTS);

/** Ranges that are not the public internet, most specific first (the first match names the reason). */
const SPECIAL_RANGES: readonly (readonly [cidr: string, label: string])[] = [
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private (local-use NAT64)'],
  ['fc00::/7', 'private (unique local)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];

const ranges = SPECIAL_RANGES.map(([cidr, label]) => {
  const [network = '', bits = ''] = cidr.split('/');
  const family = isIPv4(network) ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  list.addSubnet(network, Number(bits), family);
  return { list, family, label };
});

/** An IP address without its zone id (`fe80::1%eth0` → `fe80::1`). */
export function withoutZone(address: string): string {
  return address.replace(/%.*$/, '');
}

/** Whether a host name or IP address (in any IPv4-embedding IPv6 form) is a cloud metadata endpoint. */
export function isMetadataEndpoint(hostOrAddress: string): boolean {
  const address = withoutZone(hostOrAddress);
  if (metadata.matchesName(address) || metadata.matchesAddress(address)) return true;
  const inner = embeddedIPv4(address);
  return inner !== undefined && metadata.matchesAddress(inner);
}

/**
 * Why an IP address is not on the public internet ("loopback", "private", ...), or
 * undefined for a public address. IPv6 forms that embed an IPv4 address are judged by it.
 */
export function specialAddressKind(ip: string): string | undefined {
  const address = withoutZone(ip);
  const family = isIPv4(address) ? 'ipv4' : 'ipv6';
  const match = ranges.find((range) => range.family === family && range.list.check(address, family));
  if (match) return match.label;
  const inner = embeddedIPv4(address);
  const innerKind = inner === undefined ? undefined : specialAddressKind(inner);
  return innerKind === undefined ? undefined : `${innerKind} (IPv4 embedded in IPv6)`;
}
