export const REPORT_FORMATS = ['json', 'markdown', 'html', 'csv', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  content: Buffer;
  contentType: string;
  /** Without the leading dot, e.g. "sarif". */
  fileExtension: string;
  /** Lower-case hex SHA-256 of `content`. */
  sha256: string;
}

/** Who made a report: named in SARIF's tool.driver. The worker can pass its real version and docs URL. */
export interface ReportToolIdentity {
  semanticVersion: string;
  informationUri: string;
}

export interface RenderOptions {
  tool?: Partial<ReportToolIdentity>;
}
