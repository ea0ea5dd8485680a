import type { XorbConfig } from '@xorb/config-manager';
import { evaluateChecks, type FindingDraft, type ServiceObservation } from '@xorb/scanner';

export interface EvaluateChecksInput {
  scanId: string;
  tenantId: string;
  hostname: string;
  observations: ServiceObservation[];
}

/** Turns observations into finding drafts (severity, CWE, remediation, fingerprint). */
export async function evaluateScanChecks(
  scanning: XorbConfig['scanning'],
  input: EvaluateChecksInput,
): Promise<FindingDraft[]> {
  return evaluateChecks(input.observations, {
    hostname: input.hostname,
    now: new Date(),
    expiringWithinDays: scanning.tlsExpiryWarningDays,
  });
}
