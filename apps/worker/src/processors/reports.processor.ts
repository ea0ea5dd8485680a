import { type Job } from 'bullmq';
import { generateReportJobPayload, REPORT_JOBS } from '@xorb/contracts';
import {
  completeReport,
  failReport,
  findReport,
  findScan,
  findTarget,
  findTenantById,
  listFindings,
  markReportRunning,
  withTenant,
  type FindingFilter,
  type FindingRow,
  type Pool,
  type Queryable,
} from '@xorb/db';
import type { Logger } from '@xorb/observability';
import { renderReport, type ReportInput } from '@xorb/reports';
import { CHECKS } from '@xorb/scanner';
import { UnknownJobError } from './maintenance.processor';

export interface ReportDependencies {
  pool: Pool;
  logger: Logger;
}

const PAGE = 200;

/**
 * Renders a report and stores it with its SHA-256. Idempotent: a job recovered
 * after a crash finds a completed report and leaves it as it is.
 */
export function createReportsProcessor(deps: ReportDependencies) {
  return async function processReportJob(job: Job): Promise<{ reportId: string; generated: boolean }> {
    if (job.name !== REPORT_JOBS.generate) throw new UnknownJobError('reports', job.name);
    const { tenantId, reportId } = generateReportJobPayload.parse(job.data);
    return withTenant(deps.pool, tenantId, async (client) => {
      const report = await findReport(client, tenantId, reportId);
      if (!report) return { reportId, generated: false };
      if (report.status === 'completed') return { reportId, generated: false };
      await markReportRunning(client, tenantId, reportId);
      try {
        const input = await reportInput(client, tenantId, report.scan_id, report.filters);
        const rendered = renderReport(input, report.format);
        const generated = await completeReport(client, tenantId, reportId, {
          content: rendered.content,
          contentType: rendered.contentType,
          sha256: rendered.sha256,
          findings: input.findings.length,
        });
        return { reportId, generated };
      } catch (error) {
        await failReport(client, tenantId, reportId, error instanceof Error ? error.message : String(error));
        throw error;
      }
    });
  };
}

async function reportInput(
  client: Queryable,
  tenantId: string,
  scanId: string | null,
  filters: Record<string, string>,
): Promise<ReportInput> {
  const tenant = await findTenantById(client, tenantId);
  if (!tenant) throw new Error(`tenant ${tenantId} no longer exists`);
  let scope: ReportInput['scope'];
  let filter: FindingFilter;
  if (scanId) {
    const scan = await findScan(client, tenantId, scanId);
    if (!scan) throw new Error(`scan ${scanId} no longer exists`);
    const target = await findTarget(client, tenantId, scan.target_id);
    scope = {
      kind: 'scan',
      scan: {
        id: scan.id,
        profile: scan.profile,
        status: scan.status,
        startedAt: scan.started_at?.toISOString() ?? null,
        finishedAt: scan.finished_at?.toISOString() ?? null,
        openPorts: scan.open_ports,
      },
      target: { id: scan.target_id, value: target?.value ?? '', host: target?.host ?? '' },
    };
    filter = { scanId };
  } else {
    scope = { kind: 'filters', filters };
    filter = {
      status: filters.status as FindingFilter['status'],
      severity: filters.severity as FindingFilter['severity'],
      targetId: filters.target_id,
      checkId: filters.check_id,
    };
  }
  const rows = await allFindings(client, tenantId, filter);
  const targets = new Map<string, string>();
  for (const row of rows) {
    if (!targets.has(row.target_id))
      targets.set(row.target_id, (await findTarget(client, tenantId, row.target_id))?.value ?? row.target_id);
  }
  return {
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    scope,
    generatedAt: new Date().toISOString(),
    findings: rows.map((row) => ({
      id: row.id,
      targetId: row.target_id,
      targetValue: targets.get(row.target_id) ?? row.target_id,
      checkId: row.check_id,
      title: row.title,
      description: row.description,
      severity: row.severity,
      cwe: row.cwe,
      remediation: row.remediation,
      evidence: row.evidence,
      port: row.port,
      status: row.status,
      fingerprint: row.fingerprint,
      firstSeen: row.first_seen.toISOString(),
      lastSeen: row.last_seen.toISOString(),
    })),
    checks: CHECKS,
  };
}

async function allFindings(
  client: Queryable,
  tenantId: string,
  filter: FindingFilter,
): Promise<FindingRow[]> {
  const rows: FindingRow[] = [];
  let after: { createdAt: string; id: string } | undefined;
  for (;;) {
    const page = await listFindings(client, tenantId, filter, PAGE, after);
    rows.push(...page.slice(0, PAGE));
    const last = page[PAGE - 1];
    if (page.length <= PAGE || !last) return rows;
    after = { createdAt: last.created_at.toISOString(), id: last.id };
  }
}
