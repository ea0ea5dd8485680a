import { draftFinding, type FindingDraft } from '../finding-draft';
import { type TlsObservation } from '../service-observation';
import { type CheckRule } from './check-rule';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Expired, expiring soon, self-signed, or not covering the host name. */
export const tlsCertificateChecks: CheckRule = (
  { tls, port, address },
  { hostname, now, expiringWithinDays },
) => {
  if (!tls) return [];
  const certificate = certificateEvidence(tls, address);
  const identity = { certificate: tls.fingerprint256 };
  const findings: FindingDraft[] = [];
  const msLeft = Date.parse(tls.validTo) - now.getTime();

  if (msLeft < 0) {
    const daysAgo = Math.floor(-msLeft / DAY_MS);
    findings.push(
      draftFinding('tls.certificate-expired', {
        hostname,
        port,
        description: `The certificate served for ${hostname} on port ${port} (${tls.subject}) expired on ${tls.validTo}, ${daysAgo} day(s) ago. Clients that verify certificates refuse the connection; clients that do not cannot tell an attacker's certificate from it.`,
        evidence: { ...certificate, daysSinceExpiry: daysAgo },
        identity,
      }),
    );
  } else if (msLeft <= expiringWithinDays * DAY_MS) {
    const daysLeft = Math.floor(msLeft / DAY_MS);
    findings.push(
      draftFinding('tls.certificate-expiring', {
        hostname,
        port,
        description: `The certificate served for ${hostname} on port ${port} (${tls.subject}) expires on ${tls.validTo}, in ${daysLeft} day(s) (threshold: ${expiringWithinDays}).`,
        evidence: { ...certificate, daysRemaining: daysLeft, thresholdDays: expiringWithinDays },
        identity,
      }),
    );
  }

  if (tls.selfSigned) {
    findings.push(
      draftFinding('tls.certificate-self-signed', {
        hostname,
        port,
        description: `The certificate served for ${hostname} on port ${port} is self-signed (issuer and subject are both ${tls.subject}), so no client can verify it without trusting it by hand.`,
        evidence: { ...certificate, ...(tls.authorizedError ? { verifyError: tls.authorizedError } : {}) },
        identity,
      }),
    );
  }

  if (!tls.hostnameMatches) {
    findings.push(
      draftFinding('tls.certificate-hostname-mismatch', {
        hostname,
        port,
        description: `The certificate served on port ${port} does not cover ${hostname}: it names ${describeNames(tls)}.`,
        evidence: { ...certificate, hostname },
        identity,
      }),
    );
  }
  return findings;
};

function certificateEvidence(tls: TlsObservation, address: string): Record<string, unknown> {
  return {
    address,
    subject: tls.subject,
    issuer: tls.issuer,
    sans: tls.sans,
    validFrom: tls.validFrom,
    validTo: tls.validTo,
    serialNumber: tls.serialNumber,
    fingerprint256: tls.fingerprint256,
  };
}

function describeNames(tls: TlsObservation): string {
  return tls.sans.length > 0 ? tls.sans.join(', ') : tls.subject || 'no names';
}
