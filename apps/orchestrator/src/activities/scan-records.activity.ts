import { updateScan, withTenant, type Pool, type ScanStatus } from '@xorb/db';
import type { Counter } from 'prom-client';

export interface FinishScanInput {
  scanId: string;
  tenantId: string;
  status: Extract<ScanStatus, 'completed' | 'failed' | 'cancelled'>;
  openPorts: number[];
  findingsNew?: number;
  findingsSeen?: number;
  error?: string | null;
}

/** Records the scan's final state once; a retried call finds it final and changes nothing. */
export async function finishScan(
  pool: Pool,
  workflows: Counter<'workflow' | 'outcome'>,
  input: FinishScanInput,
): Promise<void> {
  const row = await withTenant(pool, input.tenantId, (client) =>
    updateScan(client, input.tenantId, input.scanId, {
      status: input.status,
      phase: 'done',
      progress: input.status === 'completed' ? 100 : undefined,
      openPorts: input.openPorts,
      findingsNew: input.findingsNew,
      findingsSeen: input.findingsSeen,
      error: input.error ?? null,
    }),
  );
  if (row) workflows.inc({ workflow: 'scan', outcome: input.status });
}
