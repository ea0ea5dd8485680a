export { renderReport, isReportFormat } from './render-report';
export {
  REPORT_FORMATS,
  type ReportFormat,
  type RenderedReport,
  type RenderOptions,
  type ReportToolIdentity,
} from './report-format';
export {
  SEVERITIES,
  type Severity,
  type FindingStatus,
  type ReportInput,
  type ReportTenant,
  type ReportScope,
  type ReportScanScope,
  type ReportFiltersScope,
  type ReportFinding,
  type ReportCheck,
} from './report-input';
export {
  buildJsonReport,
  JSON_REPORT_KIND,
  JSON_REPORT_SCHEMA_VERSION,
  type JsonReportV1,
  type JsonReportFinding,
  type JsonReportScope,
} from './json-report';
export { CSV_REPORT_COLUMNS } from './csv-report';
export { HTML_REPORT_CSP } from './html-report';
export { buildSarifLog, SARIF_FINGERPRINT_KEY } from './sarif-report';
export { SARIF_SCHEMA_URI, type SarifLog } from './sarif-log';
export { DEFAULT_TOOL_IDENTITY, XORB_TOOL_NAME } from './xorb-tool';
