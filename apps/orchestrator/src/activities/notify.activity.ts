import {
  REPORT_JOBS,
  WEBHOOK_JOBS,
  type ScanReportJobPayload,
  type WebhookEventJobPayload,
} from '@xorb/contracts';
import type { Producers } from '@xorb/queues';

export interface NotifyInput {
  scanId: string;
  tenantId: string;
  status: 'completed' | 'failed' | 'cancelled';
  findingsNew: number;
  findingsSeen: number;
}

/**
 * Hands follow-up work to the worker: a report of a completed scan and a webhook
 * event. Job ids derive from the scan, so a retried activity enqueues nothing twice.
 */
export async function notifyScanFinished(producers: Producers, input: NotifyInput): Promise<void> {
  if (input.status === 'completed') {
    const report: ScanReportJobPayload = { tenantId: input.tenantId, scanId: input.scanId, format: 'json' };
    await producers.reports.add(REPORT_JOBS.scanReport, report, {
      jobId: `scan-report:${input.scanId}:json`,
    });
  }
  const event: WebhookEventJobPayload = {
    tenantId: input.tenantId,
    event: `scan.${input.status}`,
    occurredAt: new Date().toISOString(),
    data: { scan_id: input.scanId, findings_new: input.findingsNew, findings_seen: input.findingsSeen },
  };
  await producers.webhooks.add(WEBHOOK_JOBS.event, event, {
    jobId: `scan-event:${input.scanId}:${input.status}`,
  });
}
