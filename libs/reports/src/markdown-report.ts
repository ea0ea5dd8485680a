import { canonicalJson } from './canonical-json';
import { cweUrl } from './cwe';
import { findingEndpoint } from './finding-endpoint';
import { countBySeverity, orderFindings } from './finding-order';
import { escapeMarkdownBlock, escapeMarkdownInline, markdownFence } from './markdown-text';
import { SEVERITIES, type ReportFinding, type ReportInput } from './report-input';
import { headerFacts } from './scope-facts';
import { severityLabel } from './severity';

/** A Markdown (CommonMark + GFM tables) report; every untrusted string is escaped. */
export function renderMarkdownReport(input: ReportInput): string {
  const findings = orderFindings(input.findings);
  const counts = countBySeverity(findings);
  const text = escapeMarkdownInline;
  const blocks: string[] = [
    `# XORB findings report: ${text(input.tenant.name)}`,
    headerFacts(input)
      .map((fact) => `- **${fact.label}:** ${text(fact.value)}`)
      .join('\n'),
    '## Summary',
    [
      '| Severity | Findings |',
      '| --- | ---: |',
      ...SEVERITIES.map((severity) => `| ${severityLabel(severity)} | ${counts[severity]} |`),
      `| **Total** | **${findings.length}** |`,
    ].join('\n'),
    '## Findings',
  ];
  if (findings.length === 0) blocks.push('No findings.');
  findings.forEach((finding, index) => blocks.push(...findingBlocks(finding, index + 1, input)));
  return `${blocks.join('\n\n')}\n`;
}

function findingBlocks(finding: ReportFinding, n: number, input: ReportInput): string[] {
  const text = escapeMarkdownInline;
  const endpoint = findingEndpoint(finding, input.scope);
  const url = cweUrl(finding.cwe);
  const cwe = url === null ? text(finding.cwe) : `[${text(finding.cwe)}](${url})`;
  return [
    `### ${n}. ${text(finding.title)}`,
    [
      `- **Severity:** ${text(severityLabel(finding.severity))}`,
      `- **CWE:** ${cwe}`,
      `- **Target:** ${text(endpoint.label)}`,
      `- **Status:** ${text(finding.status)}`,
      `- **Check:** ${text(finding.checkId)}`,
      `- **First seen:** ${text(finding.firstSeen)}`,
      `- **Last seen:** ${text(finding.lastSeen)}`,
      `- **Fingerprint:** ${text(finding.fingerprint)}`,
    ].join('\n'),
    '#### Description',
    escapeMarkdownBlock(finding.description) || '_None given._',
    '#### Remediation',
    escapeMarkdownBlock(finding.remediation) || '_None given._',
    '#### Evidence',
    markdownFence(canonicalJson(finding.evidence), 'json'),
  ];
}
