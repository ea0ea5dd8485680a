import { canonicalJson } from './canonical-json';
import { cweUrl } from './cwe';
import { findingEndpoint } from './finding-endpoint';
import { countBySeverity, orderFindings } from './finding-order';
import { HTML_REPORT_STYLE } from './html-style';
import { escapeHtml } from './html-text';
import { SEVERITIES, type ReportFinding, type ReportInput } from './report-input';
import { headerFacts, type Fact } from './scope-facts';
import { isSeverity, severityLabel } from './severity';

/** Nothing may load or run: no scripts, images, fonts, frames or connections; inline CSS only. */
export const HTML_REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/**
 * A self-contained HTML page: inline CSS, no scripts, no external assets, and a CSP that
 * forbids them anyway. Every string from the input is HTML-escaped.
 */
export function renderHtmlReport(input: ReportInput): string {
  const findings = orderFindings(input.findings);
  const counts = countBySeverity(findings);
  const title = `XORB findings report: ${input.tenant.name}`;
  const summaryRows = SEVERITIES.map(
    (severity) =>
      `<tr><th scope="row"><span class="badge sev-${severity}">${severityLabel(severity)}</span></th><td class="count">${counts[severity]}</td></tr>`,
  );
  const body =
    findings.length === 0
      ? '<p class="empty">No findings.</p>'
      : findings.map((finding, index) => findingArticle(finding, index + 1, input)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${HTML_REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
${factList(headerFacts(input))}
</header>
<section>
<h2>Summary</h2>
<table>
<thead><tr><th scope="col">Severity</th><th scope="col">Findings</th></tr></thead>
<tbody>
${summaryRows.join('\n')}
</tbody>
<tfoot><tr><th scope="row">Total</th><td class="count">${findings.length}</td></tr></tfoot>
</table>
</section>
<section>
<h2>Findings</h2>
${body}
</section>
</body>
</html>
`;
}

function findingArticle(finding: ReportFinding, n: number, input: ReportInput): string {
  const severityClass = `sev-${isSeverity(finding.severity) ? finding.severity : 'unknown'}`;
  const endpoint = findingEndpoint(finding, input.scope);
  const url = cweUrl(finding.cwe);
  const cwe =
    url === null
      ? escapeHtml(finding.cwe)
      : `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(finding.cwe)}</a>`;
  const facts: Array<[string, string]> = [
    [
      'Severity',
      `<span class="badge ${severityClass}">${escapeHtml(severityLabel(finding.severity))}</span>`,
    ],
    ['CWE', cwe],
    ['Target', escapeHtml(endpoint.label)],
    ['Status', escapeHtml(finding.status)],
    ['Check', escapeHtml(finding.checkId)],
    ['First seen', escapeHtml(finding.firstSeen)],
    ['Last seen', escapeHtml(finding.lastSeen)],
    ['Fingerprint', escapeHtml(finding.fingerprint)],
  ];
  return `<article class="finding ${severityClass}">
<h3>${n}. ${escapeHtml(finding.title)}</h3>
<dl class="facts">
${facts.map(([label, html]) => `<dt>${label}</dt><dd>${html}</dd>`).join('\n')}
</dl>
<h4>Description</h4>
<p class="prose">${escapeHtml(finding.description) || '<em>None given.</em>'}</p>
<h4>Remediation</h4>
<p class="prose">${escapeHtml(finding.remediation) || '<em>None given.</em>'}</p>
<h4>Evidence</h4>
<pre><code>${escapeHtml(canonicalJson(finding.evidence))}</code></pre>
</article>`;
}

function factList(facts: Fact[]): string {
  const items = facts.map((fact) => `<dt>${escapeHtml(fact.label)}</dt><dd>${escapeHtml(fact.value)}</dd>`);
  return `<dl class="facts">\n${items.join('\n')}\n</dl>`;
}
