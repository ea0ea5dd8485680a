import { createHash } from 'node:crypto';
import { renderCsvReport } from './csv-report';
import { renderHtmlReport } from './html-report';
import { renderJsonReport } from './json-report';
import { renderMarkdownReport } from './markdown-report';
import { REPORT_FORMATS, type RenderOptions, type RenderedReport, type ReportFormat } from './report-format';
import { type ReportInput } from './report-input';
import { renderSarifReport } from './sarif-report';
import { DEFAULT_TOOL_IDENTITY } from './xorb-tool';

interface FormatSpec {
  contentType: string;
  fileExtension: string;
  render(input: ReportInput, options: RenderOptions): string;
}

const FORMATS: Readonly<Record<ReportFormat, FormatSpec>> = {
  json: { contentType: 'application/json; charset=utf-8', fileExtension: 'json', render: renderJsonReport },
  markdown: {
    contentType: 'text/markdown; charset=utf-8',
    fileExtension: 'md',
    render: renderMarkdownReport,
  },
  html: { contentType: 'text/html; charset=utf-8', fileExtension: 'html', render: renderHtmlReport },
  csv: {
    contentType: 'text/csv; charset=utf-8; header=present',
    fileExtension: 'csv',
    render: renderCsvReport,
  },
  sarif: {
    contentType: 'application/sarif+json',
    fileExtension: 'sarif',
    render: (input, options) => renderSarifReport(input, { ...DEFAULT_TOOL_IDENTITY, ...options.tool }),
  },
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * Renders a report as UTF-8 bytes, with their SHA-256. Pure: no I/O, no clock (the time
 * comes in as input.generatedAt), so the same input gives the same bytes and hash.
 */
export function renderReport(
  input: ReportInput,
  format: ReportFormat,
  options: RenderOptions = {},
): RenderedReport {
  if (!isReportFormat(format)) throw new TypeError(`Unknown report format: ${String(format)}`);
  const spec = FORMATS[format];
  const content = Buffer.from(spec.render(input, options), 'utf8');
  return {
    content,
    contentType: spec.contentType,
    fileExtension: spec.fileExtension,
    sha256: createHash('sha256').update(content).digest('hex'),
  };
}
