import { ApplicationFailure } from '@temporalio/activity';
import type { XorbConfig } from '@xorb/config-manager';
import { resolveTarget, TargetResolutionError } from '@xorb/scanner';
import { ScanPolicy } from '@xorb/scan-policy';

export interface ResolveInput {
  scanId: string;
  tenantId: string;
  host: string;
  verified: boolean;
}

/**
 * Resolves the target and applies the scan policy to the addresses it resolves
 * to now: a verified host name that moved into a denylisted range is not scanned.
 */
export async function resolveScanTarget(
  scanning: XorbConfig['scanning'],
  input: ResolveInput,
): Promise<{ address: string; addresses: string[] }> {
  let addresses: string[];
  try {
    ({ addresses } = await resolveTarget(input.host, { dnsServers: scanning.dnsServers, timeoutMs: 10_000 }));
  } catch (error) {
    if (error instanceof TargetResolutionError && error.nonRetryable)
      throw ApplicationFailure.nonRetryable(error.message, 'TargetUnresolvable');
    throw error;
  }
  const verdict = new ScanPolicy(scanning).evaluate({
    host: input.host,
    verified: input.verified,
    addresses,
  });
  if (!verdict.allowed)
    throw ApplicationFailure.nonRetryable(
      `${input.host} may not be scanned: ${verdict.reason}`,
      'TargetNotEligible',
    );
  // Probe one address per scan; IPv4 first, as most services listen there.
  const address = addresses.find((candidate) => !candidate.includes(':')) ?? (addresses[0] as string);
  return { address, addresses };
}
