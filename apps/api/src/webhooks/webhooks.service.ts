import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { XorbConfig } from '@xorb/config-manager';
import { WEBHOOK_JOBS, type api, type DeliverWebhookJobPayload } from '@xorb/contracts';
import {
  deleteWebhook,
  deliveryAttempts,
  findDelivery,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  resetDeliveryForRedelivery,
  toPage,
  withTenant,
  type Cursor,
  type Page,
  type Pool,
  type WebhookDeliveryRow,
  type WebhookRow,
} from '@xorb/db';
import { jobId, type Producers } from '@xorb/queues';
import { assertDeliverable, generateWebhookSecret, UndeliverableUrlError } from '@xorb/webhooks';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../auth/principal';
import { ProblemException } from '../http/problem.exception';
import { CONFIG, PG_POOL, PRODUCERS } from '../tokens';

export type Webhook = z.infer<typeof api.webhook>;
export type WebhookDelivery = z.infer<typeof api.webhookDelivery>;

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    created_at: row.created_at.toISOString(),
  };
}

@Injectable()
export class WebhooksService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: XorbConfig,
    @Inject(PRODUCERS) private readonly producers: Producers,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** The secret is generated here and shown once; receivers verify every delivery with it. */
  async create(
    context: RequestContext,
    request: z.infer<typeof api.createWebhookRequest>,
  ): Promise<z.infer<typeof api.createdWebhook>> {
    try {
      await assertDeliverable(request.url, {
        allowPrivate: this.config.webhooks.allowPrivate,
        allowlist: this.config.webhooks.allowlist,
      });
    } catch (error) {
      if (!(error instanceof UndeliverableUrlError)) throw error;
      throw new ProblemException(400, `Invalid request: url ${error.message}`, {
        title: 'Invalid request',
        errors: [{ field: 'url', message: error.message }],
      });
    }
    const secret = generateWebhookSecret();
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      const inserted = await insertWebhook(client, {
        tenantId,
        url: request.url,
        events: [...new Set(request.events)],
        secret,
        description: request.description,
        createdBy: context.principal.actor,
      });
      await this.audit.record(client, context, {
        action: 'webhook.create',
        resourceType: 'webhook',
        resourceId: inserted.id,
        details: { url: inserted.url, events: inserted.events },
      });
      return inserted;
    });
    return { ...toWebhook(row), secret };
  }

  list(tenantId: string, limit: number, after?: Cursor): Promise<Page<Webhook>> {
    return withTenant(this.pool, tenantId, async (client) =>
      toPage(await listWebhooks(client, tenantId, limit, after), limit, toWebhook),
    );
  }

  async remove(context: RequestContext, id: string): Promise<void> {
    const { tenantId } = context.principal;
    const deleted = await withTenant(this.pool, tenantId, async (client) => {
      const found = await deleteWebhook(client, tenantId, id);
      if (found)
        await this.audit.record(client, context, {
          action: 'webhook.delete',
          resourceType: 'webhook',
          resourceId: id,
        });
      return found;
    });
    if (!deleted) throw notFound(id);
  }

  async deliveries(
    tenantId: string,
    webhookId: string,
    limit: number,
    after?: Cursor,
  ): Promise<Page<WebhookDelivery>> {
    return withTenant(this.pool, tenantId, async (client) => {
      if (!(await findWebhook(client, tenantId, webhookId))) throw notFound(webhookId);
      const rows = await listDeliveries(client, tenantId, webhookId, limit, after);
      const page = toPage(rows, limit, (row) => row);
      const items: WebhookDelivery[] = [];
      for (const row of page.items)
        items.push(this.toDelivery(row, await deliveryAttempts(client, tenantId, row.id)));
      return { items, next_cursor: page.next_cursor };
    });
  }

  /** Sends a delivery again, dead-lettered or not, with a fresh set of attempts. */
  async redeliver(context: RequestContext, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      const delivery = await findDelivery(client, tenantId, deliveryId);
      if (!delivery || delivery.webhook_id !== webhookId) return undefined;
      const reset = await resetDeliveryForRedelivery(client, tenantId, deliveryId);
      await this.audit.record(client, context, {
        action: 'webhook.redeliver',
        resourceType: 'webhook_delivery',
        resourceId: deliveryId,
      });
      return reset;
    });
    if (!row)
      throw new ProblemException(404, `No delivery ${deliveryId} of webhook ${webhookId} in this tenant`);
    const job: DeliverWebhookJobPayload = { tenantId, deliveryId };
    await this.producers.webhooks.add(WEBHOOK_JOBS.deliver, job, {
      jobId: jobId('deliver', deliveryId, 'redelivery', Date.now()),
      attempts: this.config.webhooks.maxAttempts,
      backoff: { type: 'webhook' },
    });
    return this.toDelivery(row, []);
  }

  private toDelivery(
    row: WebhookDeliveryRow,
    attempts: Awaited<ReturnType<typeof deliveryAttempts>>,
  ): WebhookDelivery {
    return {
      id: row.id,
      event_id: row.event_id,
      event: row.event,
      status: row.status,
      attempts: row.attempts,
      last_status_code: row.last_status_code,
      last_error: row.last_error,
      delivered_at: row.delivered_at?.toISOString() ?? null,
      created_at: row.created_at.toISOString(),
      attempt_log: attempts.map((attempt) => ({
        attempt: attempt.attempt,
        status_code: attempt.status_code,
        outcome: attempt.outcome,
        duration_ms: attempt.duration_ms,
        error: attempt.error,
        at: attempt.created_at.toISOString(),
      })),
    };
  }
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, `No webhook ${id} in this tenant`);
}
