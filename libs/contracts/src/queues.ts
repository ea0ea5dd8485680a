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
  embeddingsBackfill: 'embeddings-backfill',
  retentionPurge: 'retention-purge',
} as const;

export const embeddingsBackfillJobPayload = z.strictObject({
  batchSize: z.number().int().min(1).max(1000).default(100),
});
export type EmbeddingsBackfillJobPayload = z.infer<typeof embeddingsBackfillJobPayload>;

export const retentionPurgeJobPayload = z.strictObject({});

export const pingJobPayload = z.strictObject({
  requestedAt: z.iso.datetime(),
  note: z.string().max(200).optional(),
});
export type PingJobPayload = z.infer<typeof pingJobPayload>;

export const REPORT_JOBS = { generate: 'generate' } as const;

export const reportFormat = z.enum(['json', 'markdown', 'html', 'csv', 'sarif']);

/** Render the report row `reportId` (created by the API, or by the orchestrator when a scan completes). */
export const generateReportJobPayload = z.strictObject({
  tenantId: z.uuid(),
  reportId: z.uuid(),
});
export type GenerateReportJobPayload = z.infer<typeof generateReportJobPayload>;

export const WEBHOOK_JOBS = { event: 'event', deliver: 'deliver' } as const;

/** One delivery of one event to one webhook; retried with backoff, then dead-lettered. */
export const deliverWebhookJobPayload = z.strictObject({
  tenantId: z.uuid(),
  deliveryId: z.uuid(),
});
export type DeliverWebhookJobPayload = z.infer<typeof deliverWebhookJobPayload>;
export const WEBHOOK_EVENTS = ['scan.completed', 'scan.failed', 'scan.cancelled', 'finding.created'] as const;

/** An event to deliver to every webhook of the tenant subscribed to it. */
export const webhookEventJobPayload = z.strictObject({
  tenantId: z.uuid(),
  event: z.enum(WEBHOOK_EVENTS),
  occurredAt: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEventJobPayload = z.infer<typeof webhookEventJobPayload>;
