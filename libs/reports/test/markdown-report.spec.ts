import { describe, expect, it } from 'vitest';
import { renderReport, type ReportInput } from '../src/index';
import { filtersReportInput, finding, scanReportInput } from './report-fixture';

const render = (input: ReportInput): string => renderReport(input, 'markdown').content.toString('utf8');

describe('Markdown report', () => {
  const md = render(scanReportInput());

  it('has a title, the scope and a summary table by severity', () => {
    expect(md.startsWith('# XORB findings report: Acme Corp\n')).toBe(true);
    expect(md).toContain('- **Tenant:** Acme Corp (acme)');
    expect(md).toContain('- **Target:** shop.acme.example');
    expect(md).toContain('- **Scan:** scn\\_7f3a9c');
    expect(md).toContain('- **Open ports:** 22, 23, 80, 443, 6379');
    expect(md).toContain(
      [
        '| Severity | Findings |',
        '| --- | ---: |',
        '| Critical | 1 |',
        '| High | 1 |',
        '| Medium | 2 |',
        '| Low | 2 |',
        '| Info | 1 |',
        '| **Total** | **7** |',
      ].join('\n'),
    );
  });

  it('lists each finding in severity order with CWE link, target:port, text and evidence', () => {
    const headings = md.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual([
      '### 1. Redis accessible without authentication',
      '### 2. Telnet (plain-text protocol) exposed',
      '### 3. Self-signed TLS certificate',
      '### 4. TLS 1.0/1.1 accepted',
      '### 5. HSTS header missing',
      '### 6. Software version disclosed in HTTP headers',
      '### 7. SSH service exposed',
    ]);
    const redis = md.slice(md.indexOf('### 1.'), md.indexOf('### 2.'));
    expect(redis).toContain('- **Severity:** Critical');
    expect(redis).toContain('- **CWE:** [CWE-306](https://cwe.mitre.org/data/definitions/306.html)');
    expect(redis).toContain('- **Target:** shop.acme.example:6379');
    expect(redis).toContain('- **Status:** open');
    expect(redis).toContain(
      '#### Description\n\nRedis on port 6379 answered PING with +PONG without authentication.',
    );
    expect(redis).toContain('#### Remediation\n\nRequire authentication (ACL users or requirepass)');
    expect(redis).toContain(
      [
        '```json',
        '{',
        '  "address": "192.0.2.10:6379",',
        '  "info": {',
        '    "mode": "standalone",',
        '    "redis_version": "7.2.4"',
        '  },',
        '  "reply": "+PONG"',
        '}',
        '```',
      ].join('\n'),
    );
  });

  it('brackets IPv6 hosts and names URL targets beside host:port', () => {
    const filtered = render(filtersReportInput());
    expect(filtered).toContain(
      '- **Scope:** Findings matching checkId = plaintext.ftp; severity = high; status = open',
    );
    expect(filtered).toContain('- **Target:** \\[2001:db8::10\\]:21');
    expect(filtered).toContain('- **Target:** portal.acme.example:21 (https://portal.acme.example/app)');
    expect(filtered).toContain('- **Target:** 2001:db8::20\n');
  });

  it('escapes Markdown in untrusted text', () => {
    const input = scanReportInput();
    input.tenant.name = 'Evil *Corp* [x](javascript:alert(1))';
    input.findings = [
      finding({
        id: 'x',
        title: '<script>alert(1)</script> **bold** _it_ `code` | pipe # hash ~~del~~ &amp;',
        description:
          '# Not a heading\n- not a list\n1. not ordered\n    not code\n![img](http://x/y.png)\n===',
        remediation: '> not a quote\n\n+ not a list',
        cwe: 'CWE-79](javascript:alert(1))',
        evidence: { html: '"><img src=x onerror=alert(1)>', ticks: '``` still inside ````' },
      }),
    ];
    const out = render(input);
    expect(out).toContain('# XORB findings report: Evil \\*Corp\\* \\[x\\](javascript:alert(1))');
    expect(out).toContain(
      '### 1. \\<script\\>alert(1)\\</script\\> \\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\| pipe \\# hash \\~\\~del\\~\\~ \\&amp;',
    );
    expect(out).toContain(
      [
        '\\# Not a heading',
        '\\- not a list',
        '1\\. not ordered',
        'not code',
        '!\\[img\\](http://x/y.png)',
        '\\===',
      ].join('\n'),
    );
    expect(out).toContain('\\> not a quote\n\n\\+ not a list');
    // Not a CWE identifier: no link is made from it.
    expect(out).toContain('- **CWE:** CWE-79\\](javascript:alert(1))');
    expect(out).not.toMatch(/(?<!\\)\]\(javascript:/);
    // Outside the evidence fence (where it is inert text) no raw HTML survives.
    expect(out.replace(/`````json[\s\S]*?`````/g, '')).not.toMatch(/<script>|<img/);
    // Evidence is verbatim inside a fence longer than any backtick run in it.
    expect(out).toContain(
      '`````json\n{\n  "html": "\\"><img src=x onerror=alert(1)>",\n  "ticks": "``` still inside ````"\n}\n`````',
    );
  });

  it('keeps single-line places on one line', () => {
    const input = scanReportInput();
    input.findings = [finding({ id: 'x', title: 'line one\n# injected heading\r\n- item' })];
    expect(render(input)).toContain('### 1. line one \\# injected heading - item\n');
  });

  it('says so when there are no findings', () => {
    const out = render({ ...scanReportInput(), findings: [] });
    expect(out).toContain('| **Total** | **0** |');
    expect(out).toContain('## Findings\n\nNo findings.\n');
  });
});
