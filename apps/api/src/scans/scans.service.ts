import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { z } from 'zod';
import type { XorbConfig } from '@xorb/config-manager';
import { WORKFLOW_TYPES, type api, type ScanProgress, type ScanWorkflowInput } from '@xorb/contracts';
import {
  findScan,
  findScanByIdempotencyKey,
  findScanQuery,
  findTarget,
  insertScan,
  listScansQuery,
  readAsTenant,
  toPage,
  updateScan,
  withTenant,
  type Cursor,
  type Page,
  type Pool,
  type ScanRow,
  type ScanStatus,
} from '@xorb/db';
import type { Logger } from '@xorb/observability';
import { resolveTarget } from '@xorb/scanner';
import { ScanPolicy } from '@xorb/scan-policy';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../auth/principal';
import { ProblemException } from '../http/problem.exception';
import { CONFIG, LOGGER, PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import { toScan, type Scan } from './scan-view';

const FINISHED: ReadonlySet<ScanStatus> = new Set(['completed', 'failed', 'cancelled']);
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

@Injectable()
export class ScansService {
  private readonly policy: ScanPolicy;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: XorbConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.policy = new ScanPolicy(config.scanning);
  }

  /**
   * Registers the scan and starts its workflow (workflow id = scan id). The same
   * Idempotency-Key with the same request gives back the same scan; with a different
   * request it is refused.
   */
  async create(
    context: RequestContext,
    request: z.infer<typeof api.createScanRequest>,
    idempotencyKey: string | undefined,
  ): Promise<{ scan: Scan; created: boolean }> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ProblemException(
        400,
        'Invalid request: the Idempotency-Key header must be 1-255 visible ASCII characters',
        {
          title: 'Invalid request',
          errors: [{ field: 'header.idempotency-key', message: 'must be 1-255 visible ASCII characters' }],
        },
      );
    }
    const { tenantId } = context.principal;
    const requestHash = createHash('sha256')
      .update(JSON.stringify([request.targetId, request.profile, request.ports ?? '']))
      .digest('hex');
    if (idempotencyKey) {
      const previous = await withTenant(this.pool, tenantId, (client) =>
        findScanByIdempotencyKey(client, tenantId, idempotencyKey),
      );
      if (previous)
        return { scan: this.replay(previous.request_hash, requestHash, previous), created: false };
    }

    const target = await withTenant(this.pool, tenantId, (client) =>
      findTarget(client, tenantId, request.targetId),
    );
    if (!target) throw invalidTarget(request.targetId);
    await this.assertScannable(target.host, target.verified_at !== null);

    const outcome = await withTenant(this.pool, tenantId, async (client) => {
      const row = await insertScan(client, {
        tenantId,
        targetId: target.id,
        profile: request.profile,
        ports: request.ports ?? '',
        requestedBy: context.principal.actor,
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
      });
      if (row)
        await this.audit.record(client, context, {
          action: 'scan.create',
          resourceType: 'scan',
          resourceId: row.id,
          details: { target_id: target.id, profile: request.profile },
        });
      return row;
    });
    if (!outcome) {
      // Another request with the same key won the race.
      const previous = await withTenant(this.pool, tenantId, (client) =>
        findScanByIdempotencyKey(client, tenantId, idempotencyKey as string),
      );
      if (!previous)
        throw new ProblemException(
          409,
          'A concurrent request with the same Idempotency-Key is in progress; retry',
        );
      return { scan: this.replay(previous.request_hash, requestHash, previous), created: false };
    }
    await this.startWorkflow(outcome.id, {
      tenantId,
      targetId: target.id,
      profile: request.profile,
      scanId: outcome.id,
      ...(request.ports ? { ports: request.ports } : {}),
    });
    return { scan: toScan(outcome), created: true };
  }

  /** Reads go out in one round trip (readAsTenant): role, tenant, read-only and the SELECT. */
  async list(
    tenantId: string,
    filter: { status?: ScanStatus; targetId?: string },
    limit: number,
    after?: Cursor,
  ): Promise<Page<Scan>> {
    const rows = await readAsTenant<ScanRow>(
      this.pool,
      tenantId,
      listScansQuery(tenantId, filter, limit, after),
    );
    return toPage(rows, limit, (row) => toScan(row));
  }

  /** Reads come from Postgres; only a running scan's live progress asks Temporal. */
  async get(tenantId: string, id: string): Promise<Scan> {
    const [row] = await readAsTenant<ScanRow>(this.pool, tenantId, findScanQuery(tenantId, id));
    if (!row) throw notFound(id);
    if (FINISHED.has(row.status)) return toScan(row);
    return toScan(row, await this.liveProgress(id));
  }

  async cancel(context: RequestContext, id: string): Promise<Scan> {
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, (client) => findScan(client, tenantId, id));
    if (!row) throw notFound(id);
    if (FINISHED.has(row.status)) throw new ProblemException(409, `Scan ${id} already ended (${row.status})`);
    try {
      await this.temporal.workflow.getHandle(id).cancel();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw this.temporalUnavailable(error);
      await withTenant(this.pool, tenantId, (client) =>
        updateScan(client, tenantId, id, { status: 'cancelled', phase: 'done' }),
      );
    }
    await withTenant(this.pool, tenantId, (client) =>
      this.audit.record(client, context, { action: 'scan.cancel', resourceType: 'scan', resourceId: id }),
    );
    const updated = await withTenant(this.pool, tenantId, (client) => findScan(client, tenantId, id));
    return toScan(updated ?? row);
  }

  private replay(
    previousHash: string | null,
    requestHash: string,
    previous: Parameters<typeof toScan>[0],
  ): Scan {
    if (previousHash !== requestHash) {
      throw new ProblemException(
        422,
        'This Idempotency-Key was already used with a different request; use a new key',
      );
    }
    return toScan(previous);
  }

  private async assertScannable(host: string, verified: boolean): Promise<void> {
    let addresses: string[] = [];
    try {
      addresses = (
        await resolveTarget(host, { dnsServers: this.config.scanning.dnsServers, timeoutMs: 5_000 })
      ).addresses;
    } catch (error) {
      throw new ProblemException(
        422,
        `The target ${host} does not resolve: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const verdict = this.policy.evaluate({ host, verified, addresses });
    if (!verdict.allowed) throw new ProblemException(409, `The target may not be scanned: ${verdict.reason}`);
  }

  private async startWorkflow(scanId: string, input: ScanWorkflowInput): Promise<void> {
    try {
      await this.temporal.workflow.start(WORKFLOW_TYPES.scan, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: scanId,
        args: [input],
        workflowExecutionTimeout: `${this.config.scanning.scanTimeoutSeconds}s`,
        memo: { tenantId: input.tenantId, targetId: input.targetId },
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      await withTenant(this.pool, input.tenantId, (client) =>
        updateScan(client, input.tenantId, scanId, {
          status: 'failed',
          phase: 'done',
          error: 'the scan could not be started: orchestration is unavailable',
        }),
      );
      throw this.temporalUnavailable(error);
    }
  }

  private async liveProgress(id: string): Promise<ScanProgress | undefined> {
    try {
      return await Promise.race([
        this.temporal.workflow.getHandle(id).query<ScanProgress>('progress'),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000).unref()),
      ]);
    } catch {
      return undefined;
    }
  }

  private temporalUnavailable(error: unknown): ProblemException {
    this.logger.error(
      { error: error instanceof Error ? error.message : String(error) },
      'Temporal call failed',
    );
    return new ProblemException(
      503,
      'Scan orchestration is unavailable right now; retry shortly',
      {},
      { 'retry-after': '5' },
    );
  }
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, `No scan ${id} in this tenant`);
}

function invalidTarget(id: string): ProblemException {
  return new ProblemException(404, `No target ${id} in this tenant`);
}
