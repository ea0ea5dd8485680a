import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { XorbConfig } from '@xorb/config-manager';
import type { api } from '@xorb/contracts';
import {
  deleteTarget,
  findTarget,
  insertTarget,
  findTargetQuery,
  listTargetsQuery,
  markTargetVerified,
  readAsTenant,
  toPage,
  updateTarget,
  withTenant,
  type Cursor,
  type Page,
  type Pool,
  type TargetRow,
} from '@xorb/db';
import { normalizeTarget, ScanPolicy } from '@xorb/scan-policy';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../auth/principal';
import { ProblemException } from '../http/problem.exception';
import { CONFIG, PG_POOL } from '../tokens';
import { OwnershipVerifier, verificationInstructions } from './ownership-verifier';

export type Target = z.infer<typeof api.target>;

@Injectable()
export class TargetsService {
  private readonly policy: ScanPolicy;
  private readonly verifier: OwnershipVerifier;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: XorbConfig,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.policy = new ScanPolicy(config.scanning);
    this.verifier = new OwnershipVerifier(
      config.scanning,
      config.env === 'production' || config.env === 'staging',
    );
  }

  toTarget(row: TargetRow): Target {
    return {
      id: row.id,
      kind: row.kind,
      value: row.value,
      host: row.host,
      tags: row.tags,
      ports: row.ports,
      verified: row.verified_at !== null,
      verified_at: row.verified_at?.toISOString() ?? null,
      verified_by_method: row.verified_by_method,
      verification: verificationInstructions(row),
      scan_eligibility: this.policy.evaluate({ host: row.host, verified: row.verified_at !== null }),
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
    };
  }

  async create(context: RequestContext, input: z.infer<typeof api.createTargetRequest>): Promise<Target> {
    const normalized = normalizeTarget(input.value);
    if (!normalized.ok) throw invalidField('value', normalized.reason);
    validatePorts(input.ports);
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      const inserted = await insertTarget(client, {
        tenantId,
        ...normalized.target,
        tags: [...new Set(input.tags)],
        ports: input.ports,
        verificationToken: randomBytes(24).toString('base64url'),
        createdBy: context.principal.actor,
      });
      if (inserted) {
        await this.audit.record(client, context, {
          action: 'target.create',
          resourceType: 'target',
          resourceId: inserted.id,
          details: { value: inserted.value },
        });
      }
      return inserted;
    });
    if (!row)
      throw new ProblemException(409, `The target ${normalized.target.value} already exists in this tenant`);
    return this.toTarget(row);
  }

  /** Reads go out in one round trip (readAsTenant): role, tenant, read-only and the SELECT. */
  async list(
    tenantId: string,
    filter: { tag?: string; verified?: boolean },
    limit: number,
    after?: Cursor,
  ): Promise<Page<Target>> {
    const rows = await readAsTenant<TargetRow>(
      this.pool,
      tenantId,
      listTargetsQuery(tenantId, filter, limit, after),
    );
    return toPage(rows, limit, (row) => this.toTarget(row));
  }

  async get(tenantId: string, id: string): Promise<Target> {
    const [row] = await readAsTenant<TargetRow>(this.pool, tenantId, findTargetQuery(tenantId, id));
    if (!row) throw notFound(id);
    return this.toTarget(row);
  }

  async update(
    context: RequestContext,
    id: string,
    changes: z.infer<typeof api.updateTargetRequest>,
  ): Promise<Target> {
    if (changes.ports !== undefined) validatePorts(changes.ports);
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      const updated = await updateTarget(client, tenantId, id, {
        tags: changes.tags && [...new Set(changes.tags)],
        ports: changes.ports,
      });
      if (updated)
        await this.audit.record(client, context, {
          action: 'target.update',
          resourceType: 'target',
          resourceId: id,
          details: changes,
        });
      return updated;
    });
    if (!row) throw notFound(id);
    return this.toTarget(row);
  }

  async remove(context: RequestContext, id: string): Promise<void> {
    const { tenantId } = context.principal;
    const deleted = await withTenant(this.pool, tenantId, async (client) => {
      const found = await deleteTarget(client, tenantId, id);
      if (found)
        await this.audit.record(client, context, {
          action: 'target.delete',
          resourceType: 'target',
          resourceId: id,
        });
      return found;
    });
    if (!deleted) throw notFound(id);
  }

  /** Checks the published token now; a failed check is a 422 that says what was found. */
  async verify(context: RequestContext, id: string, method: 'http' | 'dns'): Promise<Target> {
    const { tenantId } = context.principal;
    const target = await withTenant(this.pool, tenantId, (client) => findTarget(client, tenantId, id));
    if (!target) throw notFound(id);
    const outcome = await this.verifier.verify(target, method);
    const row = await withTenant(this.pool, tenantId, async (client) => {
      await this.audit.record(client, context, {
        action: outcome.verified ? 'target.verify' : 'target.verify_failed',
        resourceType: 'target',
        resourceId: id,
        details: { method, ...(outcome.verified ? {} : { reason: outcome.reason }) },
      });
      return outcome.verified ? markTargetVerified(client, tenantId, id, method) : undefined;
    });
    if (!outcome.verified)
      throw new ProblemException(422, `Ownership not verified by ${method}: ${outcome.reason}`);
    if (!row) throw notFound(id);
    return this.toTarget(row);
  }
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, `No target ${id} in this tenant`);
}

function invalidField(field: string, message: string): ProblemException {
  return new ProblemException(400, `Invalid request: ${field} ${message}`, {
    title: 'Invalid request',
    errors: [{ field, message }],
  });
}

/** "22,80,8000-8100": every port 1-65535, every range ascending. */
function validatePorts(ports: string): void {
  if (ports === '') return;
  for (const part of ports.split(',')) {
    const [low, high = low] = part.split('-').map(Number) as [number, number?];
    if (low < 1 || (high as number) > 65535 || (high as number) < low)
      throw invalidField('ports', `range ${part} is not within 1-65535 or not ascending`);
  }
}
