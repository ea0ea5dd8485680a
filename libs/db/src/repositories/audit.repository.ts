import type { Queryable } from '../queryable';
import type { Cursor } from '../pagination';

export interface AuditEntry {
  tenantId: string;
  actor: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  ip: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRow {
  id: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}

/** Written in the same transaction as the change it records, so neither exists without the other. */
export async function insertAuditEntry(client: Queryable, entry: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO audit_log (tenant_id, actor, action, resource_type, resource_id, request_id, ip, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.tenantId,
      entry.actor,
      entry.action,
      entry.resourceType,
      entry.resourceId,
      entry.requestId,
      entry.ip,
      entry.details ?? {},
    ],
  );
}

export async function listAuditEntries(
  client: Queryable,
  tenantId: string,
  filter: { action?: string; resourceType?: string },
  limit: number,
  after?: Cursor,
): Promise<AuditRow[]> {
  const { rows } = await client.query<AuditRow>(
    `SELECT id, actor, action, resource_type, resource_id, request_id, host(ip) AS ip, details, created_at FROM audit_log
      WHERE tenant_id = $1
        AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR resource_type = $3)
        AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $6`,
    [
      tenantId,
      filter.action ?? null,
      filter.resourceType ?? null,
      after?.createdAt ?? null,
      after?.id ?? null,
      limit + 1,
    ],
  );
  return rows;
}
