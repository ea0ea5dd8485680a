import { compareCodeUnits } from './code-unit-order';
import { cweNumber, cweUrl } from './cwe';
import { type ReportCheck, type ReportFinding } from './report-input';
import { sarifLevel, securitySeverityScore } from './sarif-level';
import { type SarifRule } from './sarif-log';

/**
 * One rule per check in the catalog, in id order, then one per check that a finding cites
 * but the catalog lacks (made from that finding), so that every result's ruleId resolves.
 */
export function sarifRules(
  checks: Record<string, ReportCheck>,
  findings: readonly ReportFinding[],
): SarifRule[] {
  const catalog = new Map<string, ReportCheck>(
    Object.entries(checks).sort(([a], [b]) => compareCodeUnits(a, b)),
  );
  const orphans = new Map<string, ReportCheck>();
  for (const finding of findings) {
    if (catalog.has(finding.checkId) || orphans.has(finding.checkId)) continue;
    orphans.set(finding.checkId, {
      title: finding.title,
      severity: finding.severity,
      cwe: finding.cwe,
      remediation: finding.remediation,
      summary: finding.title,
    });
  }
  const sortedOrphans = [...orphans].sort(([a], [b]) => compareCodeUnits(a, b));
  return [...catalog, ...sortedOrphans].map(([id, check]) => sarifRule(id, check));
}

function sarifRule(id: string, check: ReportCheck): SarifRule {
  const helpUri = cweUrl(check.cwe);
  const score = securitySeverityScore(check.severity);
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: check.title || id },
    fullDescription: { text: check.summary || check.title || id },
    help: { text: check.remediation || 'No remediation given.' },
    ...(helpUri === null ? {} : { helpUri }),
    defaultConfiguration: { level: sarifLevel(check.severity) },
    properties: {
      tags: cweTags(check.cwe),
      ...(score === undefined ? {} : { 'security-severity': score }),
      severity: check.severity,
      cwe: check.cwe,
    },
  };
}

/** "security", the CWE as given ("CWE-298"), and GitHub's "external/cwe/cwe-298". */
function cweTags(cwe: string): string[] {
  const n = cweNumber(cwe);
  const tags = ['security'];
  if (n !== null) tags.push(`CWE-${n}`, `external/cwe/cwe-${n}`);
  else if (cwe.trim() !== '') tags.push(cwe.trim());
  return [...new Set(tags)];
}

/** SARIF's rule name is an identifier for people: "tls.certificate-expired" → "TlsCertificateExpired". */
function ruleName(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const name = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return name || id;
}
