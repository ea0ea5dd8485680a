import type { z } from 'zod';
import type { api, ScanProgress } from '@xorb/contracts';
import type { ScanRow } from '@xorb/db';

export type Scan = z.infer<typeof api.scan>;

/** The API's view of a scan; live workflow progress, when asked for, refines phase and percentage. */
export function toScan(row: ScanRow, live?: ScanProgress): Scan {
  const probing = row.ports_total > 0 ? Math.floor((row.ports_scanned / row.ports_total) * 75) : 0;
  const phase = live?.phase ?? row.phase;
  const progress =
    row.status === 'completed'
      ? 100
      : Math.max(row.progress, live?.progress ?? 0, phase === 'probing' ? 5 + probing : 0);
  return {
    id: row.id,
    target_id: row.target_id,
    profile: row.profile,
    ports: row.ports,
    status: row.status,
    phase,
    progress: Math.min(100, progress),
    ports_total: row.ports_total,
    ports_scanned: row.ports_scanned,
    open_ports: row.open_ports,
    counts: { findings_new: row.findings_new, findings_seen: row.findings_seen },
    error: row.error,
    requested_by: row.requested_by,
    schedule_id: row.schedule_id,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}
