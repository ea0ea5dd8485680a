import { compareCodeUnits } from './code-unit-order';
import { SEVERITIES, type ReportFinding, type Severity } from './report-input';
import { isSeverity, severityRank } from './severity';

/**
 * Most severe first, then by title; ties are broken by target, port, fingerprint and id
 * so that the order never depends on the order the findings were loaded in.
 */
export function orderFindings(findings: readonly ReportFinding[]): ReportFinding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      compareCodeUnits(a.title, b.title) ||
      compareCodeUnits(a.targetValue, b.targetValue) ||
      (a.port ?? Number.MAX_SAFE_INTEGER) - (b.port ?? Number.MAX_SAFE_INTEGER) ||
      compareCodeUnits(a.fingerprint, b.fingerprint) ||
      compareCodeUnits(a.id, b.id),
  );
}

/** Counts per severity, every severity present (zero when none), most severe first. */
export function countBySeverity(findings: readonly ReportFinding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) {
    if (isSeverity(finding.severity)) counts[finding.severity] += 1;
  }
  return counts;
}
