import { Controller, Inject } from '@nestjs/common';
import { type z } from 'zod';
import { api } from '@xorb/contracts';
import { listAuditEntries, toPage, withTenant, type Page, type Pool } from '@xorb/db';
import { Ctx, type RequestContext } from '../auth/principal';
import { Endpoint } from '../http/endpoint';
import { parseCursor } from '../http/cursor';
import { Input } from '../http/validated';
import { PG_POOL } from '../tokens';

type AuditRecord = z.infer<typeof api.auditRecord>;

@Controller()
export class AuditController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Endpoint({
    method: 'GET',
    path: '/api/v1/audit',
    operationId: 'listAudit',
    summary: "The tenant's audit log: every change, who made it, from where, newest first",
    tag: 'audit',
    access: 'admin',
    query: api.listAuditQuery,
    responses: { 200: api.pageOf(api.auditRecord) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('query') query: z.infer<typeof api.listAuditQuery>,
  ): Promise<Page<AuditRecord>> {
    const after = parseCursor(query.cursor);
    const tenantId = context.principal.tenantId;
    return withTenant(this.pool, tenantId, async (client) =>
      toPage(
        await listAuditEntries(
          client,
          tenantId,
          { action: query.action, resourceType: query.resource_type },
          query.limit,
          after,
        ),
        query.limit,
        (row) => ({ ...row, created_at: row.created_at.toISOString() }),
      ),
    );
  }
}
