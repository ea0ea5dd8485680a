import { describe, expect, it } from 'vitest';
import { JSON_REPORT_KIND, JSON_REPORT_SCHEMA_VERSION, renderReport, type JsonReportV1 } from '../src/index';
import { filtersReportInput, finding, scanReportInput } from './report-fixture';

function parse(input = scanReportInput()): JsonReportV1 {
  return JSON.parse(renderReport(input, 'json').content.toString('utf8')) as JsonReportV1;
}

describe('JSON report', () => {
  it('names its kind and schema version, and carries tenant, scope and time', () => {
    const report = parse();
    expect(report.kind).toBe(JSON_REPORT_KIND);
    expect(report.schemaVersion).toBe(JSON_REPORT_SCHEMA_VERSION);
    expect(report.schemaVersion).toBe(1);
    expect(report.generatedAt).toBe('2026-01-15T10:05:00.000Z');
    expect(report.tenant).toEqual({ id: 'ten_01HZX4', slug: 'acme', name: 'Acme Corp' });
    expect(report.scope).toEqual({
      kind: 'scan',
      scan: {
        id: 'scn_7f3a9c',
        profile: 'standard',
        status: 'completed',
        startedAt: '2026-01-15T10:00:00.000Z',
        finishedAt: '2026-01-15T10:04:12.345Z',
        openPorts: [22, 23, 80, 443, 6379],
      },
      target: { id: 'tgt_1', value: 'shop.acme.example', host: 'shop.acme.example' },
    });
  });

  it('sorts findings by severity, then title', () => {
    const report = parse();
    expect(report.findings.map((f) => [f.severity, f.title])).toEqual([
      ['critical', 'Redis accessible without authentication'],
      ['high', 'Telnet (plain-text protocol) exposed'],
      ['medium', 'Self-signed TLS certificate'],
      ['medium', 'TLS 1.0/1.1 accepted'],
      ['low', 'HSTS header missing'],
      ['low', 'Software version disclosed in HTTP headers'],
      ['info', 'SSH service exposed'],
    ]);
  });

  it('breaks ties on equal severity and title by target and port, not by input order', () => {
    const input = scanReportInput();
    input.findings = [
      finding({ id: 'b', targetValue: 'b.example', port: 443 }),
      finding({ id: 'a2', targetValue: 'a.example', port: 8443 }),
      finding({ id: 'a1', targetValue: 'a.example', port: 443 }),
    ];
    expect(parse(input).findings.map((f) => f.id)).toEqual(['a1', 'a2', 'b']);
  });

  it('summarises counts for every severity', () => {
    expect(parse().summary).toEqual({
      total: 7,
      bySeverity: { critical: 1, high: 1, medium: 2, low: 2, info: 1 },
    });
  });

  it('writes each finding with a fixed set of fields and evidence keys sorted', () => {
    const redis = parse().findings[0];
    expect(Object.keys(redis ?? {})).toEqual([
      'id',
      'checkId',
      'title',
      'severity',
      'status',
      'cwe',
      'target',
      'port',
      'description',
      'remediation',
      'evidence',
      'fingerprint',
      'firstSeen',
      'lastSeen',
    ]);
    expect(redis?.target).toEqual({ id: 'tgt_1', value: 'shop.acme.example' });
    expect(Object.keys(redis?.evidence ?? {})).toEqual(['address', 'info', 'reply']);
    expect(Object.keys((redis?.evidence.info as object | undefined) ?? {})).toEqual([
      'mode',
      'redis_version',
    ]);
  });

  it('writes a filters scope with its filters in key order', () => {
    const report = parse(filtersReportInput());
    expect(report.scope).toEqual({
      kind: 'filters',
      filters: { checkId: 'plaintext.ftp', severity: 'high', status: 'open' },
    });
    expect(Object.keys(report.scope.kind === 'filters' ? report.scope.filters : {})).toEqual([
      'checkId',
      'severity',
      'status',
    ]);
  });

  it('renders an empty findings list', () => {
    const report = parse({ ...scanReportInput(), findings: [] });
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({
      total: 0,
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    });
  });

  it('keeps hostile strings as data', () => {
    const input = scanReportInput();
    input.findings = [
      finding({ id: 'x', title: '<script>alert(1)</script>', evidence: { '"><img': 'x\u0000\u2028' } }),
    ];
    const report = parse(input);
    expect(report.findings[0]?.title).toBe('<script>alert(1)</script>');
    expect(report.findings[0]?.evidence).toEqual({ '"><img': 'x\u0000\u2028' });
  });
});
