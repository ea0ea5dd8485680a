/**
 * Scan targets that are always refused, whatever the configuration says: link-local, cloud
 * metadata endpoints, multicast, broadcast, and the "this host" addresses that reach loopback.
 * SCAN_DENYLIST entries are added to these; they never replace them.
 */
export const BUILT_IN_DENYLIST: readonly string[] = [
  '169.254.0.0/16', // IPv4 link-local
  'fe80::/10', // IPv6 link-local
  '169.254.169.254/32', // AWS, GCP, Azure, OpenStack metadata
  'fd00:ec2::254/128', // AWS metadata over IPv6
  '100.100.100.200/32', // Alibaba Cloud metadata
  'metadata.google.internal', // GCP metadata by name
  '224.0.0.0/4', // IPv4 multicast
  'ff00::/8', // IPv6 multicast
  '255.255.255.255/32', // limited broadcast
  '0.0.0.0/8', // "this network": connecting to 0.0.0.0 reaches the local host
  '::/128', // the IPv6 unspecified address, same trap
];

/** Loopback only: the default scan allowlist in development and test. */
export const LOOPBACK_ALLOWLIST: readonly string[] = ['127.0.0.0/8', '::1/128'];
