import { Controller, HttpCode, Inject } from '@nestjs/common';
import { type z } from 'zod';
import { api } from '@xorb/contracts';
import type { Page } from '@xorb/db';
import { Ctx, type RequestContext } from '../auth/principal';
import { parseCursor } from '../http/cursor';
import { Endpoint } from '../http/endpoint';
import { Input } from '../http/validated';
import { TargetsService, type Target } from './targets.service';

@Controller()
export class TargetsController {
  constructor(@Inject(TargetsService) private readonly targets: TargetsService) {}

  @Endpoint({
    method: 'GET',
    path: '/api/v1/targets',
    operationId: 'listTargets',
    summary: "The tenant's targets, newest first; filter by tag or verification",
    tag: 'targets',
    access: 'viewer',
    query: api.listTargetsQuery,
    responses: { 200: api.pageOf(api.target) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('query') query: z.infer<typeof api.listTargetsQuery>,
  ): Promise<Page<Target>> {
    const verified = query.verified === undefined ? undefined : query.verified === 'true';
    return this.targets.list(
      context.principal.tenantId,
      { tag: query.tag, verified },
      query.limit,
      parseCursor(query.cursor),
    );
  }

  @Endpoint({
    method: 'POST',
    path: '/api/v1/targets',
    operationId: 'createTarget',
    summary: 'Register a target: a host name, an IPv4 or IPv6 address, or an http(s) URL',
    tag: 'targets',
    access: 'analyst',
    body: api.createTargetRequest,
    responses: { 201: api.target },
    problems: [409],
  })
  @HttpCode(201)
  create(
    @Ctx() context: RequestContext,
    @Input('body') body: z.infer<typeof api.createTargetRequest>,
  ): Promise<Target> {
    return this.targets.create(context, body);
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/targets/:id',
    operationId: 'getTarget',
    summary: 'One target, with its verification instructions and whether it may be scanned',
    tag: 'targets',
    access: 'viewer',
    params: api.idParams,
    responses: { 200: api.target },
  })
  get(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<Target> {
    return this.targets.get(context.principal.tenantId, params.id);
  }

  @Endpoint({
    method: 'PATCH',
    path: '/api/v1/targets/:id',
    operationId: 'updateTarget',
    summary: "Change a target's tags or port scope",
    tag: 'targets',
    access: 'analyst',
    params: api.idParams,
    body: api.updateTargetRequest,
    responses: { 200: api.target },
  })
  update(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Input('body') body: z.infer<typeof api.updateTargetRequest>,
  ): Promise<Target> {
    return this.targets.update(context, params.id, body);
  }

  @Endpoint({
    method: 'DELETE',
    path: '/api/v1/targets/:id',
    operationId: 'deleteTarget',
    summary: 'Delete a target',
    tag: 'targets',
    access: 'analyst',
    params: api.idParams,
    responses: { 204: null },
  })
  @HttpCode(204)
  remove(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<void> {
    return this.targets.remove(context, params.id);
  }

  @Endpoint({
    method: 'POST',
    path: '/api/v1/targets/:id/verify',
    operationId: 'verifyTarget',
    summary: 'Prove ownership: fetch the token from the well-known HTTP file, or read the DNS TXT record',
    tag: 'targets',
    access: 'analyst',
    params: api.idParams,
    body: api.verifyTargetRequest,
    responses: { 200: api.target },
    problems: [422],
  })
  @HttpCode(200)
  verify(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Input('body') body: z.infer<typeof api.verifyTargetRequest>,
  ): Promise<Target> {
    return this.targets.verify(context, params.id, body.method);
  }
}
