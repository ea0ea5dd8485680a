import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFixture, type SeededTenant } from './support/api-fixture';

/** Bad input always gets a clear 4xx problem naming the field, never a 500. */
describe('request hygiene', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;

  beforeAll(async () => {
    api = await ApiFixture.start({ API_BODY_LIMIT: '2kb', CORS_ORIGINS: 'https://console.example.test' });
    tenant = await api.seedTenant();
  });
  afterAll(() => api?.stop());

  const problemOf = (response: { headers: Record<string, unknown>; json: <T>() => T }) => {
    expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
    return response.json<{
      status: number;
      detail: string;
      request_id: string;
      errors?: Array<{ field: string; message: string }>;
    }>();
  };

  it('answers malformed JSON with 400', async () => {
    const response = await api.request('POST', '/api/v1/targets', {
      key: tenant.keys.admin,
      rawBody: '{"value": "x.example",',
    });
    expect(response.status).toBe(400);
    const problem = problemOf(response);
    expect(problem.detail).toMatch(/JSON/i);
    expect(problem.request_id).toBeTruthy();
  });

  it('names every field of the wrong type', async () => {
    const response = await api.request('POST', '/api/v1/targets', {
      key: tenant.keys.admin,
      body: { value: 42, tags: 'web', ports: [80] },
    });
    expect(response.status).toBe(400);
    expect(
      problemOf(response)
        .errors?.map((error) => error.field)
        .sort(),
    ).toEqual(['ports', 'tags', 'value']);
  });

  it('refuses unknown fields, naming them', async () => {
    const body = await api.request('POST', '/api/v1/targets', {
      key: tenant.keys.admin,
      body: { value: 'x.example', owner: 'me' },
    });
    expect(body.status).toBe(400);
    expect(problemOf(body).errors).toEqual([{ field: 'owner', message: 'is not a known field' }]);
    const query = await api.request('GET', '/api/v1/targets?colour=red', { key: tenant.keys.admin });
    expect(query.status).toBe(400);
    expect(problemOf(query).errors).toEqual([{ field: 'query.colour', message: 'is not a known field' }]);
    const params = await api.request('GET', '/api/v1/targets/not-a-uuid', { key: tenant.keys.admin });
    expect(params.status).toBe(400);
    expect(problemOf(params).errors?.[0]?.field).toBe('params.id');
  });

  it('refuses a missing body and the wrong content type', async () => {
    const missing = await api.request('POST', '/api/v1/targets', { key: tenant.keys.admin });
    expect(missing.status).toBe(400);
    expect(problemOf(missing).errors?.[0]?.field).toBe('body');
    const text = await api.request('POST', '/api/v1/targets', {
      key: tenant.keys.admin,
      rawBody: 'value=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    problemOf(text);
  });

  it('answers a body over API_BODY_LIMIT with 413', async () => {
    const response = await api.request('POST', '/api/v1/targets', {
      key: tenant.keys.admin,
      body: { value: 'x.example', tags: Array(400).fill('abcdefgh') },
    });
    expect(response.status).toBe(413);
    expect(problemOf(response).detail).toContain('API_BODY_LIMIT');
  });

  it('sends security headers on every response', async () => {
    for (const [url, key] of [
      ['/api/v1/me', tenant.keys.viewer],
      ['/api/v1/nope', undefined],
      ['/health', undefined],
    ] as const) {
      const response = await api.request('GET', url, key ? { key } : {});
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      });
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('applies CORS as configured', async () => {
    const allowed = await api.request('OPTIONS', '/api/v1/targets', {
      headers: {
        origin: 'https://console.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example.test');
    const other = await api.request('GET', '/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
