import { afterEach, describe, expect, it } from 'vitest';
import { ApiFixture } from './support/api-fixture';

/** Behind nginx, the client address (rate limits, audit) comes from X-Forwarded-For, and only then. */
describe('client address behind a proxy', () => {
  let api: ApiFixture | undefined;
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });

  async function auditedIp(env: Record<string, string>): Promise<string | undefined> {
    api = await ApiFixture.start(env);
    const tenant = await api.seedTenant();
    await api.request('POST', '/api/v1/targets', {
      key: tenant.keys.admin,
      body: { value: 'proxied.example' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    const audit = await api.request('GET', '/api/v1/audit?action=target.create', { key: tenant.keys.admin });
    return audit.json<{ items: Array<{ ip: string }> }>().items[0]?.ip;
  }

  it('trusts one hop with TRUST_PROXY_HOPS=1', async () => {
    expect(await auditedIp({ TRUST_PROXY_HOPS: '1' })).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For by default, so clients cannot pick their address', async () => {
    expect(await auditedIp({})).toBe('127.0.0.1');
  });
});
