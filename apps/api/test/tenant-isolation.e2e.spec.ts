import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@xorb/db';
import { ApiFixture, type SeededTenant } from './support/api-fixture';

interface Resources {
  target: string;
  user: string;
  apiKey: string;
}

/** Two tenants, every resource: a read or write across tenants is a 404, and RLS holds under the queries. */
describe('tenant isolation', () => {
  let api: ApiFixture;
  let alpha: SeededTenant;
  let beta: SeededTenant;
  const resources: Record<'alpha' | 'beta', Resources> = {} as never;

  async function createResources(tenant: SeededTenant, host: string): Promise<Resources> {
    const key = tenant.keys.admin;
    const target = await api.request('POST', '/api/v1/targets', {
      key,
      body: { value: host, tags: ['web'] },
    });
    const user = await api.request('POST', '/api/v1/users', {
      key,
      body: { email: `ops@${host}`, role: 'viewer', password: 'long-enough-pass' },
    });
    const apiKey = await api.request('POST', '/api/v1/api-keys', {
      key,
      body: { name: 'iso', role: 'viewer' },
    });
    for (const response of [target, user, apiKey]) expect(response.status, response.body).toBe(201);
    return {
      target: target.json<{ id: string }>().id,
      user: user.json<{ id: string }>().id,
      apiKey: apiKey.json<{ id: string }>().id,
    };
  }

  beforeAll(async () => {
    api = await ApiFixture.start();
    alpha = await api.seedTenant();
    beta = await api.seedTenant();
    resources.alpha = await createResources(alpha, 'alpha.example');
    resources.beta = await createResources(beta, 'beta.example');
  });
  afterAll(() => api?.stop());

  for (const [reader, owner] of [
    ['alpha', 'beta'],
    ['beta', 'alpha'],
  ] as const) {
    describe(`${reader} reaching for ${owner}'s resources`, () => {
      const key = () => (reader === 'alpha' ? alpha : beta).keys.admin;
      const theirs = () => resources[owner];

      it('gets 404 for every single-resource endpoint', async () => {
        const calls: Array<[string, string, unknown?]> = [
          ['GET', `/api/v1/targets/${theirs().target}`],
          ['PATCH', `/api/v1/targets/${theirs().target}`, { tags: ['stolen'] }],
          ['POST', `/api/v1/targets/${theirs().target}/verify`, { method: 'http' }],
          ['DELETE', `/api/v1/targets/${theirs().target}`],
          ['GET', `/api/v1/users/${theirs().user}`],
          ['PATCH', `/api/v1/users/${theirs().user}`, { role: 'admin' }],
          ['DELETE', `/api/v1/api-keys/${theirs().apiKey}`],
        ];
        for (const [method, url, body] of calls) {
          const response = await api.request(method, url, { key: key(), ...(body ? { body } : {}) });
          expect(response.status, `${method} ${url}: ${response.body}`).toBe(404);
        }
      });

      it('never sees them in lists or the audit log', async () => {
        for (const [url, id] of [
          ['/api/v1/targets', theirs().target],
          ['/api/v1/users', theirs().user],
          ['/api/v1/api-keys', theirs().apiKey],
          ['/api/v1/audit', theirs().target],
        ] as const) {
          const response = await api.request('GET', url, { key: key() });
          expect(response.status).toBe(200);
          expect(response.body).not.toContain(id);
        }
      });
    });
  }

  it('left every resource unchanged', async () => {
    const target = await api.request('GET', `/api/v1/targets/${resources.beta.target}`, {
      key: beta.keys.admin,
    });
    expect(target.json()).toMatchObject({ tags: ['web'] });
    const user = await api.request('GET', `/api/v1/users/${resources.beta.user}`, { key: beta.keys.admin });
    expect(user.json()).toMatchObject({ role: 'viewer' });
    expect((await api.request('GET', '/api/v1/me', { key: beta.keys.viewer })).status).toBe(200);
  });

  it('is enforced by row-level security even when a query forgets the tenant', async () => {
    const rows = await withTenant(api.pool, alpha.id, async (client) => ({
      targets: (await client.query('SELECT tenant_id FROM targets')).rows,
      users: (await client.query('SELECT tenant_id FROM users')).rows,
      keys: (await client.query('SELECT tenant_id FROM api_keys')).rows,
      audit: (await client.query('SELECT tenant_id FROM audit_log')).rows,
      tenants: (await client.query('SELECT id AS tenant_id FROM tenants')).rows,
    }));
    for (const [table, list] of Object.entries(rows)) {
      expect(list.length, table).toBeGreaterThan(0);
      expect(new Set(list.map((row: { tenant_id: string }) => row.tenant_id)), table).toEqual(
        new Set([alpha.id]),
      );
    }
    await expect(
      withTenant(api.pool, alpha.id, (client) =>
        client.query(`UPDATE targets SET tags = '{}' WHERE id = $1`, [resources.beta.target]),
      ),
    ).resolves.toMatchObject({ rowCount: 0 });
  });
});
