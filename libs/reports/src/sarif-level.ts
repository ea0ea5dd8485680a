export type SarifLevel = 'error' | 'warning' | 'note';

/** critical/high → error, medium → warning, low/info → note; anything else → warning (SARIF's default). */
export function sarifLevel(severity: string): SarifLevel {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'low':
    case 'info':
      return 'note';
    default:
      return 'warning';
  }
}

const SECURITY_SEVERITY: Readonly<Record<string, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/**
 * GitHub code scanning's "security-severity" rule property: a CVSS-like score as a string
 * (≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low). Undefined for unknown severities.
 */
export function securitySeverityScore(severity: string): string | undefined {
  return SECURITY_SEVERITY[severity];
}
