import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../queues';
import { uuid } from './common';

export const webhookEvent = z.enum(WEBHOOK_EVENTS);

export const createWebhookRequest = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(webhookEvent).min(1).max(WEBHOOK_EVENTS.length),
  description: z.string().max(200).default(''),
});

export const webhook = z.strictObject({
  id: uuid,
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  created_at: z.iso.datetime(),
});
/** The only time the signing secret is shown. */
export const createdWebhook = webhook.extend({ secret: z.string() });

export const webhookDelivery = z.strictObject({
  id: uuid,
  event_id: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'dead']),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  delivered_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  attempt_log: z.array(
    z.strictObject({
      attempt: z.number().int(),
      status_code: z.number().int().nullable(),
      outcome: z.string(),
      duration_ms: z.number().int(),
      error: z.string().nullable(),
      at: z.iso.datetime(),
    }),
  ),
});

export const deliveryParams = z.strictObject({ id: uuid, deliveryId: uuid });
