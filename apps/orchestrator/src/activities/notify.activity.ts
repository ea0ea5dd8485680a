import { createHash } from 'node:crypto';
import {
  REPORT_JOBS,
  WEBHOOK_JOBS,
  type GenerateReportJobPayload,
  type WebhookEventJobPayload,
} from '@xorb/contracts';
import { insertReport, withTenant, type Pool } from '@xorb/db';
import { jobId, type Producers } from '@xorb/queues';

export interface NotifyInput {
  scanId: string;
  tenantId: string;
  status: 'completed' | 'failed' | 'cancelled';
  findingsNew: number;
  findingsSeen: number;
}

/** A UUID derived from a name, so a retried activity creates the same row, not a second one. */
function uuidFromName(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Hands follow-up work to the worker: a JSON report of a completed scan and a
 * webhook event. Row and job ids derive from the scan, so a retry adds nothing twice.
 */
export async function notifyScanFinished(
  pool: Pool,
  producers: Producers,
  input: NotifyInput,
): Promise<void> {
  if (input.status === 'completed') {
    const report = await withTenant(pool, input.tenantId, (client) =>
      insertReport(client, {
        id: uuidFromName(`scan-report:${input.scanId}:json`),
        tenantId: input.tenantId,
        scanId: input.scanId,
        filters: {},
        format: 'json',
        requestedBy: 'system:scan',
      }),
    );
    const job: GenerateReportJobPayload = { tenantId: input.tenantId, reportId: report.id };
    await producers.reports.add(REPORT_JOBS.generate, job, { jobId: jobId('report', report.id) });
  }
  const event: WebhookEventJobPayload = {
    tenantId: input.tenantId,
    event: `scan.${input.status}`,
    occurredAt: new Date().toISOString(),
    data: { scan_id: input.scanId, findings_new: input.findingsNew, findings_seen: input.findingsSeen },
  };
  await producers.webhooks.add(WEBHOOK_JOBS.event, event, {
    jobId: jobId('scan-event', input.scanId, input.status),
  });
}
