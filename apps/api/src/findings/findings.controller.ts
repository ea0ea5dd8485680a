import { Controller, HttpCode, Inject } from '@nestjs/common';
import type { z } from 'zod';
import { api } from '@xorb/contracts';
import type { Page } from '@xorb/db';
import { Ctx, type RequestContext } from '../auth/principal';
import { parseCursor } from '../http/cursor';
import { Endpoint } from '../http/endpoint';
import { Input } from '../http/validated';
import { FindingsService, type Finding, type ScoredFinding } from './findings.service';

@Controller()
export class FindingsController {
  constructor(@Inject(FindingsService) private readonly findings: FindingsService) {}

  @Endpoint({
    method: 'GET',
    path: '/api/v1/findings',
    operationId: 'listFindings',
    summary: "The tenant's findings, newest first; filter by status, severity, target, check or scan",
    tag: 'findings',
    access: 'viewer',
    query: api.listFindingsQuery,
    responses: { 200: api.pageOf(api.finding) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('query') query: z.infer<typeof api.listFindingsQuery>,
  ): Promise<Page<Finding>> {
    const filter = {
      status: query.status,
      severity: query.severity,
      targetId: query.target_id,
      checkId: query.check_id,
      scanId: query.scan_id,
    };
    return this.findings.list(context.principal.tenantId, filter, query.limit, parseCursor(query.cursor));
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/findings/:id',
    operationId: 'getFinding',
    summary: 'One finding: severity, CWE, evidence, remediation, first and last seen',
    tag: 'findings',
    access: 'viewer',
    params: api.idParams,
    responses: { 200: api.finding },
  })
  get(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<Finding> {
    return this.findings.get(context.principal.tenantId, params.id);
  }

  @Endpoint({
    method: 'PATCH',
    path: '/api/v1/findings/:id',
    operationId: 'updateFinding',
    summary: 'Set a finding’s status: open, acknowledged, resolved or false_positive',
    tag: 'findings',
    access: 'analyst',
    params: api.idParams,
    body: api.updateFindingRequest,
    responses: { 200: api.finding },
  })
  update(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Input('body') body: z.infer<typeof api.updateFindingRequest>,
  ): Promise<Finding> {
    return this.findings.setStatus(context, params.id, body.status);
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/findings/:id/similar',
    operationId: 'similarFindings',
    summary: 'The k findings of this tenant most similar to this one (pgvector HNSW, cosine)',
    tag: 'findings',
    access: 'viewer',
    params: api.idParams,
    query: api.similarQuery,
    responses: { 200: api.scoredFindings },
    problems: [409],
  })
  similar(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Input('query') query: z.infer<typeof api.similarQuery>,
  ): Promise<{ items: ScoredFinding[] }> {
    return this.findings.similar(context.principal.tenantId, params.id, query.k);
  }

  @Endpoint({
    method: 'POST',
    path: '/api/v1/findings/search',
    operationId: 'searchFindings',
    summary: 'Semantic search over the tenant’s findings',
    tag: 'findings',
    access: 'viewer',
    body: api.searchFindingsRequest,
    responses: { 200: api.scoredFindings },
  })
  @HttpCode(200)
  search(
    @Ctx() context: RequestContext,
    @Input('body') body: z.infer<typeof api.searchFindingsRequest>,
  ): Promise<{ items: ScoredFinding[] }> {
    return this.findings.search(context.principal.tenantId, body.query, body.k);
  }
}
