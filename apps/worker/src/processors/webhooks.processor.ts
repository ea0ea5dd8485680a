import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { XorbConfig } from '@xorb/config-manager';
import { jobId } from '@xorb/queues';
import {
  deliverWebhookJobPayload,
  WEBHOOK_JOBS,
  webhookEventJobPayload,
  type DeliverWebhookJobPayload,
} from '@xorb/contracts';
import {
  deliveryToSendQuery,
  ensureDelivery,
  readAsTenant,
  recordDeliveryAttempt,
  webhooksForEvent,
  withTenant,
  type DeliveryToSend,
  type Pool,
} from '@xorb/db';
import type { Logger } from '@xorb/observability';
import { assertDeliverable, deliverWebhook, nextRetryDelay, UndeliverableUrlError } from '@xorb/webhooks';
import type { Counter } from 'prom-client';
import { UnknownJobError } from './maintenance.processor';

export interface WebhookDependencies {
  pool: Pool;
  queue: Queue;
  config: XorbConfig['webhooks'];
  logger: Logger;
  deliveries: Counter<'outcome'>;
}

/** A failed attempt that may succeed later; carries the receiver's Retry-After for the backoff. */
export class RetryableDeliveryError extends Error {
  override name = 'RetryableDeliveryError';
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/** BullMQ's custom backoff for deliveries: exponential with full jitter, never shorter than Retry-After. */
export function webhookBackoff(config: XorbConfig['webhooks']) {
  return (attemptsMade: number, _type?: string, error?: Error): number =>
    nextRetryDelay(Math.max(1, attemptsMade), {
      baseMs: config.retryBaseMs,
      retryAfterMs: error instanceof RetryableDeliveryError ? error.retryAfterMs : undefined,
    });
}

/**
 * `event`: fans an event out to every webhook of the tenant subscribed to it (one
 * delivery row and one job each, both keyed by the event, so a rerun adds none).
 * `deliver`: one signed attempt; retried with backoff, dead-lettered after
 * WEBHOOK_MAX_ATTEMPTS, redeliverable from the API.
 */
export function createWebhooksProcessor(deps: WebhookDependencies) {
  return async function processWebhookJob(job: Job): Promise<unknown> {
    if (job.name === WEBHOOK_JOBS.event) return fanOut(deps, job);
    if (job.name === WEBHOOK_JOBS.deliver) return deliver(deps, job);
    throw new UnknownJobError('webhooks', job.name);
  };
}

async function fanOut(deps: WebhookDependencies, job: Job): Promise<{ deliveries: number }> {
  const event = webhookEventJobPayload.parse(job.data);
  const eventId = String(job.id);
  const deliveries = await withTenant(deps.pool, event.tenantId, async (client) => {
    const subscribed = await webhooksForEvent(client, event.tenantId, event.event);
    const rows = [];
    for (const webhook of subscribed) {
      rows.push(
        await ensureDelivery(client, {
          tenantId: event.tenantId,
          webhookId: webhook.id,
          eventId,
          event: event.event,
          payload: {
            id: eventId,
            type: event.event,
            occurred_at: event.occurredAt,
            tenant_id: event.tenantId,
            data: event.data,
          },
        }),
      );
    }
    return rows;
  });
  for (const delivery of deliveries.filter((row) => row.status === 'pending')) {
    const payload: DeliverWebhookJobPayload = { tenantId: event.tenantId, deliveryId: delivery.id };
    await deps.queue.add(WEBHOOK_JOBS.deliver, payload, {
      jobId: jobId('deliver', delivery.id),
      attempts: deps.config.maxAttempts,
      backoff: { type: 'webhook' },
    });
  }
  return { deliveries: deliveries.length };
}

async function deliver(deps: WebhookDependencies, job: Job): Promise<{ status: number }> {
  const { tenantId, deliveryId } = deliverWebhookJobPayload.parse(job.data);
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const [delivery] = await readAsTenant<DeliveryToSend>(
    deps.pool,
    tenantId,
    deliveryToSendQuery(tenantId, deliveryId),
  );
  // The webhook was deleted, or the delivery already went through: nothing left to do.
  if (!delivery || delivery.status === 'delivered') return { status: 0 };

  const record = (
    status: 'delivered' | 'failed' | 'dead',
    outcome: 'delivered' | 'retryable' | 'rejected' | 'undeliverable',
    result: { statusCode: number | null; durationMs: number; error: string | null },
  ) => {
    deps.deliveries.inc({ outcome: status === 'dead' ? 'dead' : outcome });
    return withTenant(deps.pool, tenantId, (client) =>
      recordDeliveryAttempt(client, {
        tenantId,
        deliveryId,
        statusCode: result.statusCode,
        outcome,
        durationMs: result.durationMs,
        error: result.error,
        deliveryStatus: status,
      }),
    );
  };

  let target;
  try {
    target = await assertDeliverable(delivery.webhook_url, {
      allowPrivate: deps.config.allowPrivate,
      allowlist: deps.config.allowlist,
    });
  } catch (error) {
    if (!(error instanceof UndeliverableUrlError)) throw error;
    await record(lastAttempt || !error.retryable ? 'dead' : 'failed', 'undeliverable', {
      statusCode: null,
      durationMs: 0,
      error: error.message,
    });
    if (error.retryable && !lastAttempt) throw new RetryableDeliveryError(error.message, undefined);
    throw new UnrecoverableError(`undeliverable: ${error.message}`);
  }

  const result = await deliverWebhook({
    url: target.url,
    secret: delivery.webhook_secret,
    id: delivery.id,
    event: delivery.event,
    body: JSON.stringify(delivery.payload),
    timeoutMs: deps.config.timeoutMs,
    pinnedAddress: target.address,
  });
  const summary = {
    statusCode: result.status || null,
    durationMs: Math.round(result.durationMs),
    error: result.reason ?? null,
  };
  if (result.outcome === 'delivered') {
    await record('delivered', 'delivered', summary);
    return { status: result.status };
  }
  if (result.outcome === 'rejected') {
    await record('dead', 'rejected', summary);
    throw new UnrecoverableError(
      `receiver rejected the delivery: ${result.reason ?? `HTTP ${result.status}`}`,
    );
  }
  await record(lastAttempt ? 'dead' : 'failed', 'retryable', summary);
  if (lastAttempt)
    deps.logger.warn(
      { delivery_id: deliveryId, webhook_id: delivery.webhook_id, attempts: job.attemptsMade + 1 },
      'Webhook delivery dead-lettered',
    );
  throw new RetryableDeliveryError(result.reason ?? `HTTP ${result.status}`, result.retryAfterMs);
}
