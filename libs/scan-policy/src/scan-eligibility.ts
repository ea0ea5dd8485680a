import { isIP } from 'node:net';
import type { XorbConfig } from '@xorb/config-manager';
import { AddressList } from './address-list';

export interface EligibilityInput {
  host: string;
  verified: boolean;
  /** Addresses the host resolved to; for an IP literal, leave empty. */
  addresses?: readonly string[];
}

export interface Eligibility {
  allowed: boolean;
  reason: string;
}

/**
 * Whether a target may be scanned: the denylist always wins; then a verified
 * target, or one inside the allowlist, may be scanned. Checked when a scan is
 * requested and again on the resolved addresses when it runs.
 */
export class ScanPolicy {
  private readonly allowlist: AddressList;
  private readonly denylist: AddressList;

  constructor(scanning: Pick<XorbConfig['scanning'], 'allowlist' | 'denylist'>) {
    this.allowlist = new AddressList(scanning.allowlist);
    this.denylist = new AddressList(scanning.denylist);
  }

  evaluate(input: EligibilityInput): Eligibility {
    const addresses = isIP(input.host) ? [input.host] : [...(input.addresses ?? [])];
    if (this.denylist.matchesName(input.host))
      return { allowed: false, reason: `${input.host} is in the scan denylist` };
    const denied = addresses.find((address) => this.denylist.matchesAddress(address));
    if (denied)
      return {
        allowed: false,
        reason: `${denied} is in the scan denylist (link-local, metadata, multicast, broadcast or SCAN_DENYLIST)`,
      };
    if (input.verified) return { allowed: true, reason: 'ownership verified' };
    const inAllowlist =
      this.allowlist.matchesName(input.host) ||
      (addresses.length > 0 && addresses.every((address) => this.allowlist.matchesAddress(address)));
    if (inAllowlist) return { allowed: true, reason: 'inside SCAN_ALLOWLIST' };
    return { allowed: false, reason: 'not verified and not inside SCAN_ALLOWLIST: verify ownership first' };
  }

  /** For outbound requests the platform makes on a target's behalf (verification): never to a denied address. */
  isDenied(address: string): boolean {
    return this.denylist.matchesAddress(address);
  }
}
