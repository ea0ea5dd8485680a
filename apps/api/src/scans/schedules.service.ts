import { Inject, Injectable } from '@nestjs/common';
import { type Client, isGrpcServiceError, ScheduleNotFoundError } from '@temporalio/client';
import type { z } from 'zod';
import type { XorbConfig } from '@xorb/config-manager';
import { WORKFLOW_TYPES, type api, type ScanWorkflowInput } from '@xorb/contracts';
import {
  deleteScanSchedule,
  findTarget,
  insertScanSchedule,
  listScanSchedules,
  toPage,
  withTenant,
  type Cursor,
  type Page,
  type Pool,
  type ScanScheduleRow,
} from '@xorb/db';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../auth/principal';
import { ProblemException } from '../http/problem.exception';
import { CONFIG, PG_POOL, TEMPORAL_CLIENT } from '../tokens';

type Schedule = z.infer<typeof api.schedule>;

export function temporalScheduleId(scheduleId: string): string {
  return `scan-schedule-${scheduleId}`;
}

/** Recurring scans: each row is a Temporal Schedule that starts the scan workflow on its cron. */
@Injectable()
export class SchedulesService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: XorbConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async create(
    context: RequestContext,
    targetId: string,
    request: z.infer<typeof api.createScheduleRequest>,
  ): Promise<Schedule> {
    const { tenantId } = context.principal;
    // The row and the Temporal Schedule succeed or fail together: the transaction commits only after Temporal accepted it.
    const row = await withTenant(this.pool, tenantId, async (client) => {
      if (!(await findTarget(client, tenantId, targetId))) throw targetNotFound(targetId);
      const inserted = await insertScanSchedule(client, {
        tenantId,
        targetId,
        cron: request.cron,
        profile: request.profile,
        createdBy: context.principal.actor,
      });
      const input: ScanWorkflowInput = {
        tenantId,
        targetId,
        profile: request.profile,
        scheduleId: inserted.id,
      };
      try {
        await this.temporal.schedule.create({
          scheduleId: temporalScheduleId(inserted.id),
          spec: { cronExpressions: [request.cron] },
          action: {
            type: 'startWorkflow',
            workflowType: WORKFLOW_TYPES.scan,
            taskQueue: this.config.temporal.taskQueue,
            args: [input],
          },
          memo: { tenantId, targetId },
        });
      } catch (error) {
        throw scheduleCreationProblem(error);
      }
      await this.audit.record(client, context, {
        action: 'schedule.create',
        resourceType: 'scan_schedule',
        resourceId: inserted.id,
        details: { target_id: targetId, cron: request.cron },
      });
      return inserted;
    });
    return this.view(row);
  }

  async list(tenantId: string, targetId: string, limit: number, after?: Cursor): Promise<Page<Schedule>> {
    const rows = await withTenant(this.pool, tenantId, async (client) => {
      if (!(await findTarget(client, tenantId, targetId))) throw targetNotFound(targetId);
      return listScanSchedules(client, tenantId, targetId, limit, after);
    });
    const page = toPage(rows, limit, (row) => row);
    return {
      items: await Promise.all(page.items.map((row) => this.view(row))),
      next_cursor: page.next_cursor,
    };
  }

  async remove(context: RequestContext, targetId: string, scheduleId: string): Promise<void> {
    const { tenantId } = context.principal;
    await withTenant(this.pool, tenantId, async (client) => {
      if (!(await deleteScanSchedule(client, tenantId, targetId, scheduleId)))
        throw new ProblemException(404, `No schedule ${scheduleId} on target ${targetId}`);
      try {
        await this.temporal.schedule.getHandle(temporalScheduleId(scheduleId)).delete();
      } catch (error) {
        if (!(error instanceof ScheduleNotFoundError))
          throw new ProblemException(
            503,
            'Scan orchestration is unavailable right now; retry shortly',
            {},
            { 'retry-after': '5' },
          );
      }
      await this.audit.record(client, context, {
        action: 'schedule.delete',
        resourceType: 'scan_schedule',
        resourceId: scheduleId,
      });
    });
  }

  private async view(row: ScanScheduleRow): Promise<Schedule> {
    let nextRuns: string[] = [];
    try {
      const description = await this.temporal.schedule.getHandle(temporalScheduleId(row.id)).describe();
      nextRuns = description.info.nextActionTimes.slice(0, 3).map((time) => time.toISOString());
    } catch {
      nextRuns = [];
    }
    return {
      id: row.id,
      target_id: row.target_id,
      cron: row.cron,
      profile: row.profile,
      next_runs: nextRuns,
      created_at: row.created_at.toISOString(),
    };
  }
}

const GRPC_INVALID_ARGUMENT = 3;

/** The SDK refuses a bad cron with a TypeError, the server with INVALID_ARGUMENT; anything else is an outage. */
function scheduleCreationProblem(error: unknown): ProblemException {
  const invalid =
    error instanceof TypeError || (isGrpcServiceError(error) && error.code === GRPC_INVALID_ARGUMENT);
  if (!invalid)
    return new ProblemException(
      503,
      'Scan orchestration is unavailable right now; retry shortly',
      {},
      { 'retry-after': '5' },
    );
  const message = (error as Error).message;
  return new ProblemException(400, `Invalid request: cron ${message}`, {
    title: 'Invalid request',
    errors: [{ field: 'cron', message }],
  });
}

function targetNotFound(id: string): ProblemException {
  return new ProblemException(404, `No target ${id} in this tenant`);
}
