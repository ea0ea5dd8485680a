import { z } from 'zod';

/** BullMQ queue names; the worker consumes them, the api and orchestrator produce to them. */
export const QUEUE_NAMES = {
  maintenance: 'xorb-maintenance',
  reports: 'xorb-reports',
  webhooks: 'xorb-webhooks',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Job names and payload schemas, per queue. */
export const MAINTENANCE_JOBS = {
  ping: 'ping',
} as const;

export const pingJobPayload = z.strictObject({
  requestedAt: z.iso.datetime(),
  note: z.string().max(200).optional(),
});
export type PingJobPayload = z.infer<typeof pingJobPayload>;

export const REPORT_JOBS = { scanReport: 'scan-report' } as const;

export const reportFormat = z.enum(['json', 'markdown', 'html', 'csv', 'sarif']);

/** A report of one scan's findings, produced when the scan completes. */
export const scanReportJobPayload = z.strictObject({
  tenantId: z.uuid(),
  scanId: z.uuid(),
  format: reportFormat,
});
export type ScanReportJobPayload = z.infer<typeof scanReportJobPayload>;

export const WEBHOOK_JOBS = { event: 'event' } as const;
export const WEBHOOK_EVENTS = ['scan.completed', 'scan.failed', 'scan.cancelled', 'finding.created'] as const;

/** An event to deliver to every webhook of the tenant subscribed to it. */
export const webhookEventJobPayload = z.strictObject({
  tenantId: z.uuid(),
  event: z.enum(WEBHOOK_EVENTS),
  occurredAt: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEventJobPayload = z.infer<typeof webhookEventJobPayload>;
