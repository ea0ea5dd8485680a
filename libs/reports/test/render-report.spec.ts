import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS, renderReport, type ReportFormat, type ReportInput } from '../src/index';
import { filtersReportInput, scanReportInput, shuffled } from './report-fixture';

const EXPECTED: Record<ReportFormat, { contentType: string; fileExtension: string }> = {
  json: { contentType: 'application/json; charset=utf-8', fileExtension: 'json' },
  markdown: { contentType: 'text/markdown; charset=utf-8', fileExtension: 'md' },
  html: { contentType: 'text/html; charset=utf-8', fileExtension: 'html' },
  csv: { contentType: 'text/csv; charset=utf-8; header=present', fileExtension: 'csv' },
  sarif: { contentType: 'application/sarif+json', fileExtension: 'sarif' },
};

const emptyInput = (): ReportInput => ({ ...scanReportInput(), findings: [] });

describe('renderReport', () => {
  it.each(REPORT_FORMATS)('%s: content type, extension, and the SHA-256 of the bytes', (format) => {
    const report = renderReport(scanReportInput(), format);
    expect(report.contentType).toBe(EXPECTED[format].contentType);
    expect(report.fileExtension).toBe(EXPECTED[format].fileExtension);
    expect(report.content).toBeInstanceOf(Buffer);
    expect(report.content.length).toBeGreaterThan(0);
    expect(report.sha256).toBe(createHash('sha256').update(report.content).digest('hex'));
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Valid UTF-8 that round-trips.
    expect(Buffer.from(report.content.toString('utf8'), 'utf8').equals(report.content)).toBe(true);
  });

  it.each(REPORT_FORMATS)('%s: the same input gives the same bytes', (format) => {
    const first = renderReport(scanReportInput(), format);
    const second = renderReport(scanReportInput(), format);
    expect(second.content.equals(first.content)).toBe(true);
    expect(second.sha256).toBe(first.sha256);
  });

  it.each(REPORT_FORMATS)(
    '%s: finding order, evidence key order and filter order do not change the bytes',
    (format) => {
      for (const input of [scanReportInput(), filtersReportInput()]) {
        expect(renderReport(shuffled(input), format).sha256).toBe(renderReport(input, format).sha256);
      }
    },
  );

  it.each(REPORT_FORMATS)('%s: an empty findings list still renders a complete report', (format) => {
    const report = renderReport(emptyInput(), format);
    expect(report.content.length).toBeGreaterThan(0);
    expect(report.sha256).toBe(createHash('sha256').update(report.content).digest('hex'));
  });

  it('different formats give different bytes; generatedAt is part of the content', () => {
    const hashes = new Set(REPORT_FORMATS.map((format) => renderReport(scanReportInput(), format).sha256));
    expect(hashes.size).toBe(REPORT_FORMATS.length);
    const later = { ...scanReportInput(), generatedAt: '2026-01-16T00:00:00.000Z' };
    for (const format of REPORT_FORMATS) {
      if (format === 'csv') continue; // CSV is one record per finding, no header metadata.
      expect(renderReport(later, format).sha256).not.toBe(renderReport(scanReportInput(), format).sha256);
    }
  });

  it('rejects an unknown format', () => {
    expect(() => renderReport(scanReportInput(), 'pdf' as ReportFormat)).toThrow(
      /Unknown report format: pdf/,
    );
  });

  it('does not modify its input', () => {
    const input = scanReportInput();
    const before = structuredClone(input);
    for (const format of REPORT_FORMATS) renderReport(input, format);
    expect(input).toEqual(before);
  });
});
