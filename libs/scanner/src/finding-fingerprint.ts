import { createHash } from 'node:crypto';
import { type CheckId } from './check-catalog';

export interface FindingIdentity {
  checkId: CheckId;
  hostname: string;
  port: number;
  /** The evidence that makes this issue this issue (a certificate's fingerprint, a header name); never timestamps. */
  identity: Record<string, string | number | boolean>;
}

/**
 * A stable SHA-256 (hex) over the check, host name, port and identity-bearing
 * evidence: the same issue seen on a later scan gets the same fingerprint.
 */
export function findingFingerprint({ checkId, hostname, port, identity }: FindingIdentity): string {
  const sortedIdentity = Object.keys(identity)
    .sort()
    .map((key) => [key, identity[key]]);
  const canonical = JSON.stringify([
    'xorb-finding/v1',
    checkId,
    hostname.toLowerCase(),
    port,
    sortedIdentity,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
