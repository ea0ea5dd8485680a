import { canonicalize } from './canonical-json';
import { countBySeverity, orderFindings } from './finding-order';
import { type FindingStatus, type ReportInput, type ReportTenant, type Severity } from './report-input';
import { serializableScope, type JsonReportScope } from './report-scope';

export type { JsonReportScope } from './report-scope';

export const JSON_REPORT_KIND = 'xorb.findings-report';
/** Bumped on any change that could break a reader: removing, renaming or retyping a field. */
export const JSON_REPORT_SCHEMA_VERSION = 1;

/**
 * The JSON report, version 1. Readers should check `kind` and `schemaVersion`; fields may be
 * added within a version, never removed or retyped.
 */
export interface JsonReportV1 {
  kind: typeof JSON_REPORT_KIND;
  schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION;
  /** ISO 8601, as passed to the renderer. */
  generatedAt: string;
  tenant: ReportTenant;
  scope: JsonReportScope;
  summary: {
    total: number;
    /** Every severity, most severe first, zero when none. */
    bySeverity: Record<Severity, number>;
  };
  /** Most severe first, then by title (then target, port, fingerprint, id). */
  findings: JsonReportFinding[];
}

export interface JsonReportFinding {
  id: string;
  checkId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  cwe: string;
  target: { id: string; value: string };
  port: number | null;
  description: string;
  remediation: string;
  /** As the check recorded it, with object keys sorted. */
  evidence: Record<string, unknown>;
  fingerprint: string;
  firstSeen: string;
  lastSeen: string;
}

export function buildJsonReport(input: ReportInput): JsonReportV1 {
  const findings = orderFindings(input.findings);
  return {
    kind: JSON_REPORT_KIND,
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    tenant: { id: input.tenant.id, slug: input.tenant.slug, name: input.tenant.name },
    scope: serializableScope(input.scope),
    summary: { total: findings.length, bySeverity: countBySeverity(findings) },
    findings: findings.map((finding) => ({
      id: finding.id,
      checkId: finding.checkId,
      title: finding.title,
      severity: finding.severity,
      status: finding.status,
      cwe: finding.cwe,
      target: { id: finding.targetId, value: finding.targetValue },
      port: finding.port,
      description: finding.description,
      remediation: finding.remediation,
      evidence: canonicalize(finding.evidence) as Record<string, unknown>,
      fingerprint: finding.fingerprint,
      firstSeen: finding.firstSeen,
      lastSeen: finding.lastSeen,
    })),
  };
}

export function renderJsonReport(input: ReportInput): string {
  return `${JSON.stringify(buildJsonReport(input), null, 2)}\n`;
}
