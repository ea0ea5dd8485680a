import { Controller, Headers, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { api } from '@xorb/contracts';
import type { Page } from '@xorb/db';
import { Ctx, type RequestContext } from '../auth/principal';
import { parseCursor } from '../http/cursor';
import { Endpoint } from '../http/endpoint';
import { Input } from '../http/validated';
import type { Scan } from './scan-view';
import { ScansService } from './scans.service';

@Controller()
export class ScansController {
  constructor(@Inject(ScansService) private readonly scans: ScansService) {}

  @Endpoint({
    method: 'POST',
    path: '/api/v1/scans',
    operationId: 'createScan',
    summary: 'Start a scan of a target (honours Idempotency-Key); answers 202 with Location',
    tag: 'scans',
    access: 'analyst',
    body: api.createScanRequest,
    responses: { 202: api.scan },
    problems: [404, 409, 422],
  })
  @HttpCode(202)
  async create(
    @Ctx() context: RequestContext,
    @Input('body') body: z.infer<typeof api.createScanRequest>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Scan> {
    const { scan, created } = await this.scans.create(context, body, idempotencyKey);
    void reply.header('location', `/api/v1/scans/${scan.id}`);
    if (!created) void reply.header('idempotent-replayed', 'true');
    return scan;
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/scans',
    operationId: 'listScans',
    summary: "The tenant's scans, newest first; filter by status or target",
    tag: 'scans',
    access: 'viewer',
    query: api.listScansQuery,
    responses: { 200: api.pageOf(api.scan) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('query') query: z.infer<typeof api.listScansQuery>,
  ): Promise<Page<Scan>> {
    return this.scans.list(
      context.principal.tenantId,
      { status: query.status, targetId: query.target_id },
      query.limit,
      parseCursor(query.cursor),
    );
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/scans/:id',
    operationId: 'getScan',
    summary: 'One scan: status, phase, progress %, open ports and finding counts',
    tag: 'scans',
    access: 'viewer',
    params: api.idParams,
    responses: { 200: api.scan },
  })
  get(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<Scan> {
    return this.scans.get(context.principal.tenantId, params.id);
  }

  @Endpoint({
    method: 'POST',
    path: '/api/v1/scans/:id/cancel',
    operationId: 'cancelScan',
    summary: 'Cancel a queued or running scan; its probes stop',
    tag: 'scans',
    access: 'analyst',
    params: api.idParams,
    responses: { 202: api.scan },
    problems: [409],
  })
  @HttpCode(202)
  cancel(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<Scan> {
    return this.scans.cancel(context, params.id);
  }
}
