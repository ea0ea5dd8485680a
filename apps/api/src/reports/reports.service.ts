import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { REPORT_JOBS, type api, type GenerateReportJobPayload } from '@xorb/contracts';
import {
  findReport,
  findScan,
  insertReport,
  listReports,
  reportContent,
  toPage,
  withTenant,
  type Cursor,
  type Page,
  type Pool,
  type ReportRow,
} from '@xorb/db';
import { jobId, type Producers } from '@xorb/queues';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../auth/principal';
import { ProblemException } from '../http/problem.exception';
import { PG_POOL, PRODUCERS } from '../tokens';

export type Report = z.infer<typeof api.report>;

export function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    scan_id: row.scan_id,
    filters: row.filters,
    format: row.format,
    status: row.status,
    content_type: row.content_type,
    sha256: row.sha256,
    size_bytes: row.size_bytes,
    findings: row.findings,
    error: row.error,
    download_url: row.status === 'completed' ? `/api/v1/reports/${row.id}/download` : null,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
  };
}

/** Reports are rendered by the worker; the API records the request and serves the result. */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PRODUCERS) private readonly producers: Producers,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async create(context: RequestContext, request: z.infer<typeof api.createReportRequest>): Promise<Report> {
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      if (request.scanId && !(await findScan(client, tenantId, request.scanId)))
        throw new ProblemException(404, `No scan ${request.scanId} in this tenant`);
      const filters = Object.fromEntries(
        Object.entries(request.filters ?? {}).filter(([, value]) => value !== undefined),
      ) as Record<string, string>;
      const inserted = await insertReport(client, {
        tenantId,
        scanId: request.scanId ?? null,
        filters,
        format: request.format,
        requestedBy: context.principal.actor,
      });
      await this.audit.record(client, context, {
        action: 'report.create',
        resourceType: 'report',
        resourceId: inserted.id,
        details: { format: request.format },
      });
      return inserted;
    });
    const job: GenerateReportJobPayload = { tenantId, reportId: row.id };
    await this.producers.reports.add(REPORT_JOBS.generate, job, { jobId: jobId('report', row.id) });
    return toReport(row);
  }

  list(tenantId: string, limit: number, after?: Cursor): Promise<Page<Report>> {
    return withTenant(this.pool, tenantId, async (client) =>
      toPage(await listReports(client, tenantId, limit, after), limit, toReport),
    );
  }

  async get(tenantId: string, id: string): Promise<Report> {
    const row = await withTenant(this.pool, tenantId, (client) => findReport(client, tenantId, id));
    if (!row) throw notFound(id);
    return toReport(row);
  }

  async download(tenantId: string, id: string): Promise<{ row: ReportRow; content: Buffer }> {
    return withTenant(this.pool, tenantId, async (client) => {
      const row = await findReport(client, tenantId, id);
      if (!row) throw notFound(id);
      if (row.status !== 'completed')
        throw new ProblemException(409, `Report ${id} is ${row.status}; download it once it is completed`);
      return { row, content: (await reportContent(client, tenantId, id)) as Buffer };
    });
  }
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, `No report ${id} in this tenant`);
}
