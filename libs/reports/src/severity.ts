import { SEVERITIES, type Severity } from './report-input';

const LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** 0 for critical up to 4 for info; anything unknown sorts after info. */
export function severityRank(severity: string): number {
  const rank = (SEVERITIES as readonly string[]).indexOf(severity);
  return rank === -1 ? SEVERITIES.length : rank;
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** "Critical", "High", …; an unknown value is returned as given (callers escape it). */
export function severityLabel(severity: string): string {
  return isSeverity(severity) ? LABELS[severity] : severity;
}
