import { canonicalize } from './canonical-json';
import { csvRecord } from './csv-cell';
import { orderFindings } from './finding-order';
import { type ReportFinding, type ReportInput } from './report-input';

/** The CSV columns, in order; the first record of the file names them. */
export const CSV_REPORT_COLUMNS = [
  'id',
  'severity',
  'title',
  'check_id',
  'cwe',
  'status',
  'target_id',
  'target',
  'port',
  'description',
  'remediation',
  'evidence',
  'fingerprint',
  'first_seen',
  'last_seen',
] as const;

type CsvColumn = (typeof CSV_REPORT_COLUMNS)[number];

/** RFC 4180 CSV with a header record, one finding per record, protected against CSV injection. */
export function renderCsvReport(input: ReportInput): string {
  const records = orderFindings(input.findings).map((finding) => {
    const row = csvRow(finding);
    return csvRecord(CSV_REPORT_COLUMNS.map((column) => row[column]));
  });
  return csvRecord(CSV_REPORT_COLUMNS) + records.join('');
}

function csvRow(finding: ReportFinding): Record<CsvColumn, string> {
  return {
    id: finding.id,
    severity: finding.severity,
    title: finding.title,
    check_id: finding.checkId,
    cwe: finding.cwe,
    status: finding.status,
    target_id: finding.targetId,
    target: finding.targetValue,
    port: finding.port === null ? '' : String(finding.port),
    description: finding.description,
    remediation: finding.remediation,
    // Compact JSON: one cell, no line breaks.
    evidence: JSON.stringify(canonicalize(finding.evidence)),
    fingerprint: finding.fingerprint,
    first_seen: finding.firstSeen,
    last_seen: finding.lastSeen,
  };
}
