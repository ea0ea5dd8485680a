import type { Cursor } from '../pagination';
import type { Queryable } from '../queryable';

export type ReportFormat = 'json' | 'markdown' | 'html' | 'csv' | 'sarif';

export interface ReportRow {
  id: string;
  tenant_id: string;
  scan_id: string | null;
  filters: Record<string, string>;
  format: ReportFormat;
  status: 'queued' | 'running' | 'completed' | 'failed';
  content_type: string | null;
  sha256: string | null;
  size_bytes: number | null;
  findings: number | null;
  error: string | null;
  generations: number;
  requested_by: string;
  created_at: Date;
  completed_at: Date | null;
}

const COLUMNS =
  'id, tenant_id, scan_id, filters, format, status, content_type, sha256, size_bytes, findings, error, generations, requested_by, created_at, completed_at';

/** Idempotent on `id`: a retried caller gets the existing row back. */
export async function insertReport(
  client: Queryable,
  report: {
    id?: string;
    tenantId: string;
    scanId: string | null;
    filters: Record<string, string>;
    format: ReportFormat;
    requestedBy: string;
  },
): Promise<ReportRow> {
  const { rows } = await client.query<ReportRow>(
    `WITH inserted AS (
       INSERT INTO reports (id, tenant_id, scan_id, filters, format, requested_by)
       VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS})
     SELECT * FROM inserted UNION ALL SELECT ${COLUMNS} FROM reports WHERE id = $1::uuid AND NOT EXISTS (SELECT 1 FROM inserted)`,
    [report.id ?? null, report.tenantId, report.scanId, report.filters, report.format, report.requestedBy],
  );
  return rows[0] as ReportRow;
}

export async function findReport(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<ReportRow | undefined> {
  const { rows } = await client.query<ReportRow>(
    `SELECT ${COLUMNS} FROM reports WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

export async function reportContent(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<Buffer | undefined> {
  const { rows } = await client.query<{ content: Buffer | null }>(
    `SELECT content FROM reports WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0]?.content ?? undefined;
}

export async function listReports(
  client: Queryable,
  tenantId: string,
  limit: number,
  after?: Cursor,
): Promise<ReportRow[]> {
  const { rows } = await client.query<ReportRow>(
    `SELECT ${COLUMNS} FROM reports WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
  );
  return rows;
}

export async function markReportRunning(client: Queryable, tenantId: string, id: string): Promise<void> {
  await client.query(
    `UPDATE reports SET status = 'running' WHERE tenant_id = $1 AND id = $2 AND status = 'queued'`,
    [tenantId, id],
  );
}

/**
 * Stores the rendered report once. A job that runs again after a crash finds it
 * completed and changes nothing (`generations` stays 1): the effect happens once.
 */
export async function completeReport(
  client: Queryable,
  tenantId: string,
  id: string,
  result: { content: Buffer; contentType: string; sha256: string; findings: number },
): Promise<boolean> {
  const outcome = await client.query(
    `UPDATE reports SET status = 'completed', content = $3, content_type = $4, sha256 = $5, size_bytes = $6, findings = $7,
            error = NULL, generations = generations + 1, completed_at = now()
      WHERE tenant_id = $1 AND id = $2 AND status <> 'completed'`,
    [tenantId, id, result.content, result.contentType, result.sha256, result.content.length, result.findings],
  );
  return (outcome.rowCount ?? 0) > 0;
}

export async function failReport(
  client: Queryable,
  tenantId: string,
  id: string,
  error: string,
): Promise<void> {
  await client.query(
    `UPDATE reports SET status = 'failed', error = $3 WHERE tenant_id = $1 AND id = $2 AND status <> 'completed'`,
    [tenantId, id, error],
  );
}
