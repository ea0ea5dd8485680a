import { Connection, Client, ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '@xorb/testing';
import { temporalScheduleId } from '../src/scans/schedules.service';
import { ApiFixture, type SeededTenant } from './support/api-fixture';

interface Schedule {
  id: string;
  cron: string;
  profile: string;
  next_runs: string[];
}

describe('scan schedules (Temporal Schedules)', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;
  let other: SeededTenant;
  let targetId: string;
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    api = await ApiFixture.start();
    tenant = await api.seedTenant();
    other = await api.seedTenant();
    targetId = (
      await api.request('POST', '/api/v1/targets', { key: tenant.keys.analyst, body: { value: '127.0.0.1' } })
    ).json<{ id: string }>().id;
    connection = await Connection.connect({ address: testServices().temporalAddress });
    temporal = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await api?.stop();
  });

  it('turns a cron expression into a Temporal Schedule that starts the scan workflow', async () => {
    const created = await api.request('POST', `/api/v1/targets/${targetId}/schedules`, {
      key: tenant.keys.analyst,
      body: { cron: '*/15 * * * *', profile: 'quick' },
    });
    expect(created.status, created.body).toBe(201);
    const schedule = created.json<Schedule>();
    expect(schedule).toMatchObject({ cron: '*/15 * * * *', profile: 'quick' });
    expect(schedule.next_runs).toHaveLength(3);
    for (const run of schedule.next_runs) expect(new Date(run).getUTCMinutes() % 15).toBe(0);

    const description = await temporal.schedule.getHandle(temporalScheduleId(schedule.id)).describe();
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'scan',
      taskQueue: api.config.temporal.taskQueue,
    });
    expect(description.action.type === 'startWorkflow' && description.action.args?.[0]).toMatchObject({
      tenantId: tenant.id,
      targetId,
      profile: 'quick',
      scheduleId: schedule.id,
    });

    const listed = await api.request('GET', `/api/v1/targets/${targetId}/schedules`, {
      key: tenant.keys.viewer,
    });
    expect(listed.json<{ items: Schedule[] }>().items.map((item) => item.id)).toEqual([schedule.id]);
    expect(
      (await api.request('GET', `/api/v1/targets/${targetId}/schedules`, { key: other.keys.admin })).status,
    ).toBe(404);
    expect(
      (
        await api.request('DELETE', `/api/v1/targets/${targetId}/schedules/${schedule.id}`, {
          key: other.keys.admin,
        })
      ).status,
    ).toBe(404);

    expect(
      (
        await api.request('DELETE', `/api/v1/targets/${targetId}/schedules/${schedule.id}`, {
          key: tenant.keys.analyst,
        })
      ).status,
    ).toBe(204);
    await expect(
      temporal.schedule.getHandle(temporalScheduleId(schedule.id)).describe(),
    ).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(
      (await api.request('GET', `/api/v1/targets/${targetId}/schedules`, { key: tenant.keys.viewer })).json<{
        items: Schedule[];
      }>().items,
    ).toEqual([]);
  });

  it('refuses an invalid cron expression, naming the field, and leaves nothing behind', async () => {
    for (const cron of ['every day', '61 * * * *']) {
      const response = await api.request('POST', `/api/v1/targets/${targetId}/schedules`, {
        key: tenant.keys.analyst,
        body: { cron },
      });
      expect(response.status, `${cron}: ${response.body}`).toBe(400);
      expect(response.json<{ errors: Array<{ field: string }> }>().errors[0]?.field).toBe('cron');
    }
    expect(
      (await api.request('GET', `/api/v1/targets/${targetId}/schedules`, { key: tenant.keys.viewer })).json<{
        items: Schedule[];
      }>().items,
    ).toEqual([]);
  });
});
