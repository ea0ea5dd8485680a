import { CHECKS, type CheckId, type Severity } from './check-catalog';
import { findingFingerprint } from './finding-fingerprint';

/** A finding as a check produces it, before it is stored (and deduplicated by fingerprint). */
export interface FindingDraft {
  checkId: CheckId;
  title: string;
  description: string;
  severity: Severity;
  cwe: string;
  remediation: string;
  evidence: Record<string, unknown>;
  port: number;
  fingerprint: string;
}

export interface DraftDetails {
  hostname: string;
  port: number;
  description: string;
  evidence: Record<string, unknown>;
  /** Identity-bearing evidence for the fingerprint; empty when the check, host and port say it all. */
  identity?: Record<string, string | number | boolean>;
}

/** Fills in a finding from its check's catalog entry, and fingerprints it. */
export function draftFinding(checkId: CheckId, details: DraftDetails): FindingDraft {
  const check = CHECKS[checkId];
  return {
    checkId,
    title: check.title,
    description: details.description,
    severity: check.severity,
    cwe: check.cwe,
    remediation: check.remediation,
    evidence: details.evidence,
    port: details.port,
    fingerprint: findingFingerprint({
      checkId,
      hostname: details.hostname,
      port: details.port,
      identity: details.identity ?? {},
    }),
  };
}
