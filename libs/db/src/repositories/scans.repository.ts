import type { Cursor } from '../pagination';
import type { Queryable } from '../queryable';
import type { ReadQuery } from '../read-as-tenant';

export type ScanStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface ScanRow {
  id: string;
  tenant_id: string;
  target_id: string;
  profile: 'quick' | 'standard' | 'thorough';
  ports: string;
  status: ScanStatus;
  phase: string;
  progress: number;
  ports_total: number;
  ports_scanned: number;
  open_ports: number[];
  findings_new: number;
  findings_seen: number;
  error: string | null;
  requested_by: string;
  schedule_id: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const COLUMNS = `id, tenant_id, target_id, profile, ports, status, phase, progress, ports_total, ports_scanned, open_ports,
  findings_new, findings_seen, error, requested_by, schedule_id, idempotency_key, request_hash, created_at, started_at, finished_at`;

export interface NewScan {
  id?: string;
  tenantId: string;
  targetId: string;
  profile: ScanRow['profile'];
  ports: string;
  requestedBy: string;
  scheduleId?: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
}

/** Undefined when the tenant already used this idempotency key (the caller then loads that scan). */
export async function insertScan(client: Queryable, scan: NewScan): Promise<ScanRow | undefined> {
  const { rows } = await client.query<ScanRow>(
    `INSERT INTO scans (id, tenant_id, target_id, profile, ports, requested_by, schedule_id, idempotency_key, request_hash)
     VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING ${COLUMNS}`,
    [
      scan.id ?? null,
      scan.tenantId,
      scan.targetId,
      scan.profile,
      scan.ports,
      scan.requestedBy,
      scan.scheduleId ?? null,
      scan.idempotencyKey ?? null,
      scan.requestHash ?? null,
    ],
  );
  return rows[0];
}

/** The statement findScan runs (for readAsTenant). */
export function findScanQuery(tenantId: string, id: string): ReadQuery {
  return { text: `SELECT ${COLUMNS} FROM scans WHERE tenant_id = $1 AND id = $2`, values: [tenantId, id] };
}

export async function findScan(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<ScanRow | undefined> {
  const { rows } = await client.query<ScanRow>(findScanQuery(tenantId, id));
  return rows[0];
}

export async function findScanByIdempotencyKey(
  client: Queryable,
  tenantId: string,
  key: string,
): Promise<ScanRow | undefined> {
  const { rows } = await client.query<ScanRow>(
    `SELECT ${COLUMNS} FROM scans WHERE tenant_id = $1 AND idempotency_key = $2`,
    [tenantId, key],
  );
  return rows[0];
}

export async function listScans(
  client: Queryable,
  tenantId: string,
  filter: { status?: ScanStatus; targetId?: string },
  limit: number,
  after?: Cursor,
): Promise<ScanRow[]> {
  const { rows } = await client.query<ScanRow>(listScansQuery(tenantId, filter, limit, after));
  return rows;
}

/** The statement listScans runs (for readAsTenant). */
export function listScansQuery(
  tenantId: string,
  filter: { status?: ScanStatus; targetId?: string },
  limit: number,
  after?: Cursor,
): ReadQuery {
  return {
    text: `SELECT ${COLUMNS} FROM scans
      WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR target_id = $3)
        AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $6`,
    values: [
      tenantId,
      filter.status ?? null,
      filter.targetId ?? null,
      after?.createdAt ?? null,
      after?.id ?? null,
      limit + 1,
    ],
  };
}

export interface ScanProgressUpdate {
  status?: ScanStatus;
  phase?: string;
  progress?: number;
  portsTotal?: number;
  portsScanned?: number;
  openPorts?: number[];
  findingsNew?: number;
  findingsSeen?: number;
  error?: string | null;
}

/**
 * Moves a scan forward. A scan that already finished keeps its final state, so a
 * late progress write (retried activity, replayed step) cannot reopen it.
 */
export async function updateScan(
  client: Queryable,
  tenantId: string,
  id: string,
  update: ScanProgressUpdate,
): Promise<ScanRow | undefined> {
  const { rows } = await client.query<ScanRow>(
    `UPDATE scans SET
        status = COALESCE($3, status),
        phase = COALESCE($4, phase),
        progress = COALESCE($5, progress),
        ports_total = COALESCE($6, ports_total),
        ports_scanned = COALESCE($7, ports_scanned),
        open_ports = COALESCE($8, open_ports),
        findings_new = COALESCE($9, findings_new),
        findings_seen = COALESCE($10, findings_seen),
        error = CASE WHEN $11::boolean THEN $12 ELSE error END,
        started_at = CASE WHEN $3 = 'running' THEN COALESCE(started_at, now()) ELSE started_at END,
        finished_at = CASE WHEN $3 IN ('completed', 'failed', 'cancelled') THEN COALESCE(finished_at, now()) ELSE finished_at END
      WHERE tenant_id = $1 AND id = $2 AND status NOT IN ('completed', 'failed', 'cancelled')
      RETURNING ${COLUMNS}`,
    [
      tenantId,
      id,
      update.status ?? null,
      update.phase ?? null,
      update.progress ?? null,
      update.portsTotal ?? null,
      update.portsScanned ?? null,
      update.openPorts ?? null,
      update.findingsNew ?? null,
      update.findingsSeen ?? null,
      update.error !== undefined,
      update.error ?? null,
    ],
  );
  return rows[0];
}
