import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFixture, type SeededTenant } from './support/api-fixture';

describe('Bull Board at /admin/queues', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;

  beforeAll(async () => {
    api = await ApiFixture.start();
    tenant = await api.seedTenant();
  });
  afterAll(() => api?.stop());

  it('is for admins only', async () => {
    const anonymous = await api.request('GET', '/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(String(anonymous.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect((await api.request('GET', '/admin/queues', { key: tenant.keys.analyst })).status).toBe(403);
    expect((await api.request('GET', '/admin/queues/api/queues', { key: tenant.keys.viewer })).status).toBe(
      403,
    );
  });

  it('shows every XORB queue to an admin, by header or by the xorb_token cookie', async () => {
    const page = await api.request('GET', '/admin/queues', { key: tenant.keys.admin });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    const token = (
      await api.request('POST', '/api/v1/auth/token', {
        body: { grant_type: 'api_key', api_key: tenant.keys.admin },
      })
    ).json<{ access_token: string }>().access_token;
    const queues = await api.request(
      'GET',
      '/admin/queues/api/queues?activeQueue=xorb-reports&status=latest&page=1',
      { headers: { cookie: `xorb_token=${token}` } },
    );
    expect(queues.status, queues.body).toBe(200);
    expect(
      queues
        .json<{ queues: Array<{ name: string }> }>()
        .queues.map((queue) => queue.name)
        .sort(),
    ).toEqual(['xorb-maintenance', 'xorb-reports', 'xorb-webhooks']);
  });
});
