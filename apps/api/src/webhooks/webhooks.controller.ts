import { Controller, HttpCode, Inject } from '@nestjs/common';
import type { z } from 'zod';
import { api } from '@xorb/contracts';
import type { Page } from '@xorb/db';
import { Ctx, type RequestContext } from '../auth/principal';
import { parseCursor } from '../http/cursor';
import { Endpoint } from '../http/endpoint';
import { Input } from '../http/validated';
import { WebhooksService, type Webhook, type WebhookDelivery } from './webhooks.service';

@Controller()
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Endpoint({
    method: 'POST',
    path: '/api/v1/webhooks',
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events; the signing secret is in this response only',
    tag: 'webhooks',
    access: 'admin',
    body: api.createWebhookRequest,
    responses: { 201: api.createdWebhook },
  })
  @HttpCode(201)
  create(
    @Ctx() context: RequestContext,
    @Input('body') body: z.infer<typeof api.createWebhookRequest>,
  ): Promise<z.infer<typeof api.createdWebhook>> {
    return this.webhooks.create(context, body);
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/webhooks',
    operationId: 'listWebhooks',
    summary: "The tenant's webhooks (secrets are never shown again)",
    tag: 'webhooks',
    access: 'admin',
    query: api.pageQuery,
    responses: { 200: api.pageOf(api.webhook) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('query') query: z.infer<typeof api.pageQuery>,
  ): Promise<Page<Webhook>> {
    return this.webhooks.list(context.principal.tenantId, query.limit, parseCursor(query.cursor));
  }

  @Endpoint({
    method: 'DELETE',
    path: '/api/v1/webhooks/:id',
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook and its delivery log',
    tag: 'webhooks',
    access: 'admin',
    params: api.idParams,
    responses: { 204: null },
  })
  @HttpCode(204)
  remove(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<void> {
    return this.webhooks.remove(context, params.id);
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/webhooks/:id/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log: every event sent to this webhook, with each attempt',
    tag: 'webhooks',
    access: 'admin',
    params: api.idParams,
    query: api.pageQuery,
    responses: { 200: api.pageOf(api.webhookDelivery) },
  })
  deliveries(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Input('query') query: z.infer<typeof api.pageQuery>,
  ): Promise<Page<WebhookDelivery>> {
    return this.webhooks.deliveries(
      context.principal.tenantId,
      params.id,
      query.limit,
      parseCursor(query.cursor),
    );
  }

  @Endpoint({
    method: 'POST',
    path: '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    operationId: 'redeliverWebhook',
    summary: 'Send a delivery again (for example one that was dead-lettered)',
    tag: 'webhooks',
    access: 'admin',
    params: api.deliveryParams,
    responses: { 202: api.webhookDelivery },
  })
  @HttpCode(202)
  redeliver(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string; deliveryId: string },
  ): Promise<WebhookDelivery> {
    return this.webhooks.redeliver(context, params.id, params.deliveryId);
  }
}
