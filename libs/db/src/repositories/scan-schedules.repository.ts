import type { Cursor } from '../pagination';
import type { Queryable } from '../queryable';

export interface ScanScheduleRow {
  id: string;
  tenant_id: string;
  target_id: string;
  cron: string;
  profile: 'quick' | 'standard' | 'thorough';
  created_by: string;
  created_at: Date;
}

const COLUMNS = 'id, tenant_id, target_id, cron, profile, created_by, created_at';

export async function insertScanSchedule(
  client: Queryable,
  schedule: {
    tenantId: string;
    targetId: string;
    cron: string;
    profile: ScanScheduleRow['profile'];
    createdBy: string;
  },
): Promise<ScanScheduleRow> {
  const { rows } = await client.query<ScanScheduleRow>(
    `INSERT INTO scan_schedules (tenant_id, target_id, cron, profile, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [schedule.tenantId, schedule.targetId, schedule.cron, schedule.profile, schedule.createdBy],
  );
  return rows[0] as ScanScheduleRow;
}

export async function listScanSchedules(
  client: Queryable,
  tenantId: string,
  targetId: string,
  limit: number,
  after?: Cursor,
): Promise<ScanScheduleRow[]> {
  const { rows } = await client.query<ScanScheduleRow>(
    `SELECT ${COLUMNS} FROM scan_schedules
      WHERE tenant_id = $1 AND target_id = $2 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $5`,
    [tenantId, targetId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
  );
  return rows;
}

export async function deleteScanSchedule(
  client: Queryable,
  tenantId: string,
  targetId: string,
  id: string,
): Promise<boolean> {
  const result = await client.query(
    'DELETE FROM scan_schedules WHERE tenant_id = $1 AND target_id = $2 AND id = $3',
    [tenantId, targetId, id],
  );
  return (result.rowCount ?? 0) > 0;
}
