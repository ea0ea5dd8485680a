import { Controller, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { api } from '@xorb/contracts';
import type { Page } from '@xorb/db';
import { Ctx, type RequestContext } from '../auth/principal';
import { parseCursor } from '../http/cursor';
import { Endpoint } from '../http/endpoint';
import { Input } from '../http/validated';
import { ReportsService, type Report } from './reports.service';

const EXTENSIONS: Record<string, string> = {
  json: 'json',
  markdown: 'md',
  html: 'html',
  csv: 'csv',
  sarif: 'sarif',
};

@Controller()
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  @Endpoint({
    method: 'POST',
    path: '/api/v1/reports',
    operationId: 'createReport',
    summary:
      'Render a report of a scan or of filtered findings: json, markdown, html, csv or sarif (SARIF 2.1.0)',
    tag: 'reports',
    access: 'analyst',
    body: api.createReportRequest,
    responses: { 202: api.report },
  })
  @HttpCode(202)
  async create(
    @Ctx() context: RequestContext,
    @Input('body') body: z.infer<typeof api.createReportRequest>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Report> {
    const report = await this.reports.create(context, body);
    void reply.header('location', `/api/v1/reports/${report.id}`);
    return report;
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/reports',
    operationId: 'listReports',
    summary: "The tenant's reports, newest first",
    tag: 'reports',
    access: 'viewer',
    query: api.pageQuery,
    responses: { 200: api.pageOf(api.report) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('query') query: z.infer<typeof api.pageQuery>,
  ): Promise<Page<Report>> {
    return this.reports.list(context.principal.tenantId, query.limit, parseCursor(query.cursor));
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/reports/:id',
    operationId: 'getReport',
    summary: 'A report’s status, size and content hash',
    tag: 'reports',
    access: 'viewer',
    params: api.idParams,
    responses: { 200: api.report },
  })
  get(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<Report> {
    return this.reports.get(context.principal.tenantId, params.id);
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/reports/:id/download',
    operationId: 'downloadReport',
    summary: 'The report file (ETag = its SHA-256)',
    tag: 'reports',
    access: 'viewer',
    params: api.idParams,
    responses: { 200: null },
    problems: [409],
  })
  async download(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { row, content } = await this.reports.download(context.principal.tenantId, params.id);
    await reply
      .header('content-type', row.content_type ?? 'application/octet-stream')
      .header('etag', `"${row.sha256 ?? ''}"`)
      .header(
        'content-disposition',
        `attachment; filename="xorb-report-${row.id}.${EXTENSIONS[row.format] ?? 'bin'}"`,
      )
      .send(content);
  }
}
