import { Injectable } from '@nestjs/common';
import { insertAuditEntry, type Queryable } from '@xorb/db';
import type { RequestContext } from '../auth/principal';

export interface AuditedChange {
  action: string;
  resourceType: string;
  resourceId: string | null;
  details?: Record<string, unknown>;
}

/** Records who changed what; call inside the transaction that makes the change. */
@Injectable()
export class AuditService {
  async record(client: Queryable, context: RequestContext, change: AuditedChange): Promise<void> {
    await insertAuditEntry(client, {
      tenantId: context.principal.tenantId,
      actor: context.principal.actor,
      action: change.action,
      resourceType: change.resourceType,
      resourceId: change.resourceId,
      requestId: context.requestId,
      ip: context.ip,
      details: change.details,
    });
  }
}
