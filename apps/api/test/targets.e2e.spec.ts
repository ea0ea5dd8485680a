import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsTestServer } from '@xorb/testing';
import { ApiFixture, type SeededTenant } from './support/api-fixture';

interface Target {
  id: string;
  kind: string;
  value: string;
  host: string;
  verified: boolean;
  verification: { token: string; http_url: string; dns_record: string; dns_value: string };
  scan_eligibility: { allowed: boolean; reason: string };
}

describe('targets', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;
  let dns: DnsTestServer;
  let web: Server;
  let webPort = 0;
  const published = new Map<string, string>();

  beforeAll(async () => {
    dns = await new DnsTestServer().start();
    web = createServer((request, response) => {
      const body = published.get(request.url ?? '');
      response
        .writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' })
        .end(body ?? 'not here');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', () => resolve()));
    webPort = (web.address() as { port: number }).port;
    api = await ApiFixture.start({ SCAN_DNS_SERVERS: dns.server, TIMEOUT: '2' });
    tenant = await api.seedTenant();
  });
  afterAll(async () => {
    await api?.stop();
    await dns?.stop();
    web?.close();
  });

  const create = (value: string, extra: Record<string, unknown> = {}) =>
    api.request('POST', '/api/v1/targets', { key: tenant.keys.analyst, body: { value, ...extra } });

  it('normalises what it stores and refuses duplicates of the normal form', async () => {
    const created = await create('HTTPS://Shop.Example.COM:443/', {
      tags: ['prod', 'web'],
      ports: '443,8000-8100',
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({
      kind: 'url',
      value: 'https://shop.example.com',
      host: 'shop.example.com',
      tags: ['prod', 'web'],
      ports: '443,8000-8100',
      verified: false,
    });
    const duplicate = await create('https://shop.example.com');
    expect(duplicate.status).toBe(409);
    expect((await create('2001:DB8::0:1')).json()).toMatchObject({ kind: 'ipv6', value: '2001:db8::1' });
  });

  it('refuses values it cannot normalise and bad port scopes, naming the field', async () => {
    for (const [body, field] of [
      [{ value: 'ftp://x.example' }, 'value'],
      [{ value: 'not a host' }, 'value'],
      [{ value: 'x.example', ports: '0-10' }, 'ports'],
      [{ value: 'x.example', ports: '80,abc' }, 'ports'],
      [{ value: 'x.example', tags: ['UPPER'] }, 'tags.0'],
    ] as const) {
      const response = await api.request('POST', '/api/v1/targets', { key: tenant.keys.analyst, body });
      expect(response.status, response.body).toBe(400);
      expect(
        response.json<{ errors: Array<{ field: string }> }>().errors.map((error) => error.field),
      ).toContain(field);
    }
  });

  it('says whether a target may be scanned: loopback by the test allowlist, others after verification, denylist never', async () => {
    expect((await create('127.0.0.1')).json<Target>().scan_eligibility).toEqual({
      allowed: true,
      reason: 'inside SCAN_ALLOWLIST',
    });
    expect((await create('example.org')).json<Target>().scan_eligibility.allowed).toBe(false);
    const metadata = (await create('169.254.169.254')).json<Target>().scan_eligibility;
    expect(metadata.allowed).toBe(false);
    expect(metadata.reason).toContain('denylist');
  });

  it('verifies ownership over HTTP from the well-known file', async () => {
    const target = (await create(`http://127.0.0.1:${webPort}/app`)).json<Target>();
    expect(target.verification.http_url).toBe(
      `http://127.0.0.1:${webPort}/.well-known/xorb-verification.txt`,
    );
    const failed = await api.request('POST', `/api/v1/targets/${target.id}/verify`, {
      key: tenant.keys.analyst,
      body: { method: 'http' },
    });
    expect(failed.status).toBe(422);
    expect(failed.json().detail).toContain('HTTP 404');
    published.set('/.well-known/xorb-verification.txt', `${target.verification.token}\n`);
    const verified = await api.request('POST', `/api/v1/targets/${target.id}/verify`, {
      key: tenant.keys.analyst,
      body: { method: 'http' },
    });
    expect(verified.status, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ verified: true, verified_by_method: 'http' });
  });

  it('verifies ownership from a DNS TXT record', async () => {
    const target = (await create('owned.example.test')).json<Target>();
    expect(target.verification.dns_record).toBe('_xorb-verification.owned.example.test');
    const missing = await api.request('POST', `/api/v1/targets/${target.id}/verify`, {
      key: tenant.keys.analyst,
      body: { method: 'dns' },
    });
    expect(missing.status).toBe(422);
    dns.set(target.verification.dns_record, { txt: ['unrelated=1', target.verification.dns_value] });
    const verified = await api.request('POST', `/api/v1/targets/${target.id}/verify`, {
      key: tenant.keys.analyst,
      body: { method: 'dns' },
    });
    expect(verified.status, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({
      verified: true,
      verified_by_method: 'dns',
      scan_eligibility: { allowed: true, reason: 'ownership verified' },
    });
  });

  it('never fetches from a denylisted address', async () => {
    const target = (await create('http://169.254.169.254/latest')).json<Target>();
    const response = await api.request('POST', `/api/v1/targets/${target.id}/verify`, {
      key: tenant.keys.analyst,
      body: { method: 'http' },
    });
    expect(response.status).toBe(422);
    expect(response.json().detail).toContain('may not be contacted');
  });

  it('answers 503 when a request outlives TIMEOUT', async () => {
    const slow = createServer((_request, response) => void setTimeout(() => response.end('late'), 3_000));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
    try {
      const slowPort = (slow.address() as { port: number }).port;
      const lagging = (await create(`http://127.0.0.1:${slowPort}`)).json<Target>();
      const response = await api.request('POST', `/api/v1/targets/${lagging.id}/verify`, {
        key: tenant.keys.analyst,
        body: { method: 'http' },
      });
      expect(response.status).toBe(503);
      expect(response.json().detail).toContain('TIMEOUT');
      expect(response.headers['retry-after']).toBe('1');
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('pages through lists with an opaque cursor, and filters', async () => {
    for (const host of ['p1', 'p2', 'p3', 'p4', 'p5'])
      expect((await create(`${host}.page.test`, { tags: ['paged'] })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/targets?tag=paged&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.request('GET', query, { key: tenant.keys.viewer });
      expect(page.status).toBe(200);
      const body = page.json<{ items: Target[]; next_cursor: string | null }>();
      seen.push(...body.items.map((item) => item.value));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['p5.page.test', 'p4.page.test', 'p3.page.test', 'p2.page.test', 'p1.page.test']);
    const bad = await api.request('GET', '/api/v1/targets?cursor=garbage', { key: tenant.keys.viewer });
    expect(bad.status).toBe(400);
    expect(bad.json<{ errors: Array<{ field: string }> }>().errors[0]?.field).toBe('query.cursor');
  });

  it('records every change in the audit log with actor, request id and address', async () => {
    const created = await api.request('POST', '/api/v1/targets', {
      key: tenant.keys.analyst,
      body: { value: 'audited.example' },
      headers: { 'x-request-id': 'audit-req-000001' },
    });
    const id = created.json<Target>().id;
    await api.request('DELETE', `/api/v1/targets/${id}`, { key: tenant.keys.admin });
    const audit = await api.request('GET', `/api/v1/audit?resource_type=target&limit=200`, {
      key: tenant.keys.admin,
    });
    const entries = audit
      .json<{ items: Array<Record<string, unknown>> }>()
      .items.filter((entry) => entry.resource_id === id);
    expect(entries.map((entry) => entry.action)).toEqual(['target.delete', 'target.create']);
    expect(entries[1]).toMatchObject({
      actor: expect.stringMatching(/^api_key:[0-9a-f]{12}$/),
      request_id: 'audit-req-000001',
      ip: '127.0.0.1',
    });
  });
});
