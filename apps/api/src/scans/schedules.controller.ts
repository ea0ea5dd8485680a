import { Controller, HttpCode, Inject } from '@nestjs/common';
import type { z } from 'zod';
import { api } from '@xorb/contracts';
import type { Page } from '@xorb/db';
import { Ctx, type RequestContext } from '../auth/principal';
import { parseCursor } from '../http/cursor';
import { Endpoint } from '../http/endpoint';
import { Input } from '../http/validated';
import { SchedulesService } from './schedules.service';

type Schedule = z.infer<typeof api.schedule>;

@Controller()
export class SchedulesController {
  constructor(@Inject(SchedulesService) private readonly schedules: SchedulesService) {}

  @Endpoint({
    method: 'POST',
    path: '/api/v1/targets/:id/schedules',
    operationId: 'createSchedule',
    summary: 'Scan a target on a cron schedule (a Temporal Schedule)',
    tag: 'schedules',
    access: 'analyst',
    params: api.idParams,
    body: api.createScheduleRequest,
    responses: { 201: api.schedule },
  })
  @HttpCode(201)
  create(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Input('body') body: z.infer<typeof api.createScheduleRequest>,
  ): Promise<Schedule> {
    return this.schedules.create(context, params.id, body);
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/targets/:id/schedules',
    operationId: 'listSchedules',
    summary: "A target's scan schedules, with their next run times",
    tag: 'schedules',
    access: 'viewer',
    params: api.idParams,
    query: api.pageQuery,
    responses: { 200: api.pageOf(api.schedule) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Input('query') query: z.infer<typeof api.pageQuery>,
  ): Promise<Page<Schedule>> {
    return this.schedules.list(context.principal.tenantId, params.id, query.limit, parseCursor(query.cursor));
  }

  @Endpoint({
    method: 'DELETE',
    path: '/api/v1/targets/:id/schedules/:scheduleId',
    operationId: 'deleteSchedule',
    summary: 'Stop and delete a scan schedule',
    tag: 'schedules',
    access: 'analyst',
    params: api.scheduleParams,
    responses: { 204: null },
  })
  @HttpCode(204)
  remove(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string; scheduleId: string },
  ): Promise<void> {
    return this.schedules.remove(context, params.id, params.scheduleId);
  }
}
