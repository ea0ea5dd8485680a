/** The report's input: everything a renderer needs, already loaded. Renderers do no I/O. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type FindingStatus = 'open' | 'acknowledged' | 'resolved' | 'false_positive';

export interface ReportTenant {
  id: string;
  slug: string;
  name: string;
}

export interface ReportScanScope {
  kind: 'scan';
  scan: {
    id: string;
    profile: string;
    status: string;
    startedAt: string | null;
    finishedAt: string | null;
    openPorts: number[];
  };
  target: { id: string; value: string; host: string };
}

export interface ReportFiltersScope {
  kind: 'filters';
  filters: Record<string, string>;
}

export type ReportScope = ReportScanScope | ReportFiltersScope;

export interface ReportFinding {
  id: string;
  targetId: string;
  targetValue: string;
  checkId: string;
  title: string;
  description: string;
  severity: Severity;
  cwe: string;
  remediation: string;
  evidence: Record<string, unknown>;
  port: number | null;
  status: FindingStatus;
  fingerprint: string;
  firstSeen: string;
  lastSeen: string;
}

/** One entry of the scanner's CHECKS catalog; SARIF rules are made from these. */
export interface ReportCheck {
  title: string;
  severity: string;
  cwe: string;
  remediation: string;
  summary: string;
}

export interface ReportInput {
  tenant: ReportTenant;
  scope: ReportScope;
  /** ISO 8601. Passed in (never read from a clock) so the same input renders the same bytes. */
  generatedAt: string;
  findings: ReportFinding[];
  checks: Record<string, ReportCheck>;
}
