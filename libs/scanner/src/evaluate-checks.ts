import { type CheckContext, type CheckRule } from './checks/check-rule';
import { exposedServiceChecks } from './checks/exposed-service-checks';
import { httpHeaderChecks } from './checks/http-header-checks';
import { httpTransportCheck } from './checks/http-transport-check';
import { plaintextProtocolChecks } from './checks/plaintext-protocol-checks';
import { tlsCertificateChecks } from './checks/tls-certificate-checks';
import { tlsProtocolCheck } from './checks/tls-protocol-check';
import { versionDisclosureCheck } from './checks/version-disclosure-check';
import { type Severity } from './check-catalog';
import { type FindingDraft } from './finding-draft';
import { type ServiceObservation } from './service-observation';

const RULES: readonly CheckRule[] = [
  tlsCertificateChecks,
  tlsProtocolCheck,
  httpTransportCheck,
  httpHeaderChecks,
  versionDisclosureCheck,
  exposedServiceChecks,
  plaintextProtocolChecks,
];

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/**
 * Runs every check on every observation. Pure: the same observations and
 * context give the same findings. The same issue seen on two addresses of one
 * host is reported once (fingerprints do not include the address). Ordered by
 * port, then severity, then check (stable: ties keep the order checks produced them).
 */
export function evaluateChecks(
  observations: readonly ServiceObservation[],
  context: CheckContext,
): FindingDraft[] {
  const byFingerprint = new Map<string, FindingDraft>();
  for (const observation of observations) {
    for (const rule of RULES) {
      for (const finding of rule(observation, context)) {
        if (!byFingerprint.has(finding.fingerprint)) byFingerprint.set(finding.fingerprint, finding);
      }
    }
  }
  return [...byFingerprint.values()].sort(
    (a, b) =>
      a.port - b.port ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.checkId.localeCompare(b.checkId),
  );
}
