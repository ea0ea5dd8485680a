import { describe, expect, it } from 'vitest';
import { HTML_REPORT_CSP, renderReport, type ReportInput } from '../src/index';
import { filtersReportInput, finding, scanReportInput } from './report-fixture';

const render = (input: ReportInput): string => renderReport(input, 'html').content.toString('utf8');

const ALLOWED_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'header',
  'h1',
  'h2',
  'h3',
  'h4',
  'dl',
  'dt',
  'dd',
  'section',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'span',
  'article',
  'p',
  'pre',
  'code',
  'a',
  'em',
]);

function tagsIn(html: string): string[] {
  return Array.from(html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g), (match) => (match[1] ?? '').toLowerCase());
}

function hostileInput(): ReportInput {
  const input = scanReportInput();
  input.tenant.name = '</title><script>alert("tenant")</script>';
  input.findings = [
    finding({
      id: 'x',
      title: '<script>alert(1)</script>',
      description: 'It\'s <b>bold</b> & "quoted"',
      remediation: '<a href="javascript:alert(1)">click</a>',
      cwe: '"><svg onload=alert(1)>',
      checkId: '<iframe src=//evil>',
      evidence: { payload: '"><img src=x onerror=alert(1)>', '<key>': "'single'" },
      targetValue: '<style>@import url(//evil)</style>',
      targetId: 'other',
    }),
  ];
  return input;
}

describe('HTML report', () => {
  const html = render(scanReportInput());

  it('is a self-contained page with a strict CSP before any content', () => {
    expect(HTML_REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<title>'));
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|\bsrc=|@import|url\(/i);
    // The only URLs in attributes are the CWE links (navigation, which the CSP need not allow).
    const hrefs = Array.from(html.matchAll(/\shref="([^"]*)"/g), (m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs)
      expect(href).toMatch(/^https:\/\/cwe\.mitre\.org\/data\/definitions\/\d+\.html$/);
    expect(html.match(/<style>/g)).toHaveLength(1);
  });

  it('uses only a known set of tags', () => {
    expect(new Set(tagsIn(html)).size).toBeGreaterThan(10);
    for (const tag of tagsIn(html)) expect(ALLOWED_TAGS.has(tag), tag).toBe(true);
  });

  it('shows the summary and every finding with CWE link and target', () => {
    expect(html).toContain('<h1>XORB findings report: Acme Corp</h1>');
    expect(html).toContain(
      '<tr><th scope="row"><span class="badge sev-medium">Medium</span></th><td class="count">2</td></tr>',
    );
    expect(html).toContain('<tfoot><tr><th scope="row">Total</th><td class="count">7</td></tr></tfoot>');
    expect(html.match(/<article class="finding /g)).toHaveLength(7);
    expect(html).toContain('<h3>1. Redis accessible without authentication</h3>');
    expect(html).toContain(
      '<dt>CWE</dt><dd><a href="https://cwe.mitre.org/data/definitions/306.html" rel="noopener noreferrer">CWE-306</a></dd>',
    );
    expect(html).toContain('<dt>Target</dt><dd>shop.acme.example:6379</dd>');
    expect(html).toContain('<pre><code>{\n  &quot;address&quot;: &quot;192.0.2.10:6379&quot;,');
    expect(render(filtersReportInput())).toContain('<dt>Target</dt><dd>[2001:db8::10]:21</dd>');
  });

  it('HTML-escapes every untrusted string', () => {
    const out = render(hostileInput());
    expect(out).toContain('<h3>1. &lt;script&gt;alert(1)&lt;/script&gt;</h3>');
    expect(out).toContain(
      '<title>XORB findings report: &lt;/title&gt;&lt;script&gt;alert(&quot;tenant&quot;)&lt;/script&gt;</title>',
    );
    expect(out).toContain('&quot;payload&quot;: &quot;\\&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&quot;');
    expect(out).toContain('&quot;&lt;key&gt;&quot;: &quot;&#39;single&#39;&quot;');
    expect(out).toContain('It&#39;s &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    expect(out).toContain('&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;');
    expect(out).toContain('<dt>CWE</dt><dd>&quot;&gt;&lt;svg onload=alert(1)&gt;</dd>');
    expect(out).not.toMatch(/<script|<img|<svg|<iframe|<b>|<a href="javascript|<style>@import/i);
    for (const tag of tagsIn(out)) expect(ALLOWED_TAGS.has(tag), tag).toBe(true);
    // Nothing untrusted reaches an attribute unescaped: every attribute value is a known one.
    const attributes = Array.from(out.matchAll(/\s([a-z-]+)="([^"]*)"/g), (m) => `${m[1]}=${m[2]}`);
    for (const attribute of attributes) {
      expect(attribute).toMatch(
        /^(lang=en|charset=utf-8|http-equiv=Content-Security-Policy|content=.*|name=(referrer|viewport)|scope=(row|col)|class=[a-z -]+|href=https:\/\/cwe\.mitre\.org\/data\/definitions\/\d+\.html|rel=noopener noreferrer)$/,
      );
    }
  });

  it('does not let an unknown severity pick a CSS class', () => {
    const input = scanReportInput();
    input.findings = [finding({ id: 'x', severity: 'x" onclick="alert(1)' as 'low' })];
    const out = render(input);
    expect(out).toContain('<article class="finding sev-unknown">');
    expect(out).toContain('<span class="badge sev-unknown">x&quot; onclick=&quot;alert(1)</span>');
  });

  it('says so when there are no findings', () => {
    const out = render({ ...scanReportInput(), findings: [] });
    expect(out).toContain('<p class="empty">No findings.</p>');
    expect(out).not.toContain('<article');
  });
});
