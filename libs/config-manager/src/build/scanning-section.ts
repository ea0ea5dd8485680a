import { type ScanningConfig } from '../config-types';
import { targetCoversEverything } from '../parsing/parse-network-target';
import { BUILT_IN_DENYLIST } from '../settings/built-in-denylist';
import { type BuildContext } from './build-context';

/** Scan limits. The denylist is always the built-in entries plus SCAN_DENYLIST. */
export function buildScanningConfig({ settings, problems }: BuildContext): ScanningConfig {
  const allowlist = settings.read('SCAN_ALLOWLIST');
  for (const entry of allowlist.filter(targetCoversEverything)) {
    problems.add(
      'SCAN_ALLOWLIST',
      `entry ${JSON.stringify(entry)} would allow scanning every address: list the owned ranges instead`,
    );
  }
  const connectTimeoutMs = settings.read('SCAN_CONNECT_TIMEOUT_MS');
  const portTimeoutMs = settings.read('SCAN_PORT_TIMEOUT_MS');
  if (portTimeoutMs < connectTimeoutMs) {
    problems.add(
      'SCAN_PORT_TIMEOUT_MS',
      `must be at least SCAN_CONNECT_TIMEOUT_MS (${portTimeoutMs} ms is less than ${connectTimeoutMs} ms)`,
    );
  }
  return {
    allowlist,
    denylist: [...new Set([...BUILT_IN_DENYLIST, ...settings.read('SCAN_DENYLIST')])],
    connectTimeoutMs,
    portTimeoutMs,
    maxConcurrency: settings.read('SCAN_MAX_CONCURRENCY'),
    ratePerSecond: settings.read('SCAN_RATE_PER_SECOND'),
    scanTimeoutSeconds: settings.read('SCAN_TIMEOUT_SECONDS'),
    tlsExpiryWarningDays: settings.read('SCAN_TLS_EXPIRY_WARNING_DAYS'),
    dnsServers: settings.read('SCAN_DNS_SERVERS').map((server) => server.address),
  };
}
