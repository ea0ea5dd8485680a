import { describe, expect, it } from 'vitest';
import { describeServiceContract, startWithBadConfig, waitForHttp } from '@xorb/testing';

describeServiceContract({
  app: 'api',
  portVariable: 'API_PORT',
  dependencies: ['postgres', 'redis', 'temporal'],
  extra: (api) => {
    it('answers unknown routes with problem+json carrying the request id', async () => {
      const response = await fetch(`${api().baseUrl}/api/v1/nope`, {
        headers: { 'x-request-id': 'req-test-0001' },
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('x-request-id')).toBe('req-test-0001');
      expect(await response.json()).toMatchObject({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        instance: '/api/v1/nope',
        request_id: 'req-test-0001',
      });
    });

    it('access-logs API requests but not health, readiness or metrics', async () => {
      await waitForHttp(`${api().baseUrl}/health`);
      await fetch(`${api().baseUrl}/api/v1/also-missing`, {
        headers: { authorization: 'Bearer super-secret-token' },
      });
      await api().process.waitForLog(
        (line) => line.message === 'Request processed' && line.path === '/api/v1/also-missing',
        10_000,
      );
      const requestLines = api()
        .process.logs()
        .filter((line) => line.message === 'Request processed');
      expect(
        requestLines.some((line) => line.path === '/api/v1/also-missing' && line.status_code === 404),
      ).toBe(true);
      expect(requestLines.some((line) => ['/health', '/ready', '/metrics'].includes(String(line.path)))).toBe(
        false,
      );
      const line = requestLines.find((entry) => entry.path === '/api/v1/also-missing');
      expect(line).toMatchObject({
        duration: expect.any(Number),
        request_id: expect.any(String),
        level: 'INFO',
      });
      expect(api().process.lines.join('\n')).not.toContain('super-secret-token');
    });

    it('answers 503 with Retry-After, never 500, while Postgres or Redis is unreachable', async () => {
      const { baseUrl, dependencies } = api();
      const key = 'xorb_0123456789ab_' + 'A'.repeat(43);
      for (const [dependency, request] of [
        ['postgres', () => fetch(`${baseUrl}/api/v1/me`, { headers: { 'x-api-key': key } })],
        [
          'redis',
          () =>
            fetch(`${baseUrl}/api/v1/auth/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ grant_type: 'api_key', api_key: key }),
            }),
        ],
      ] as const) {
        await dependencies.cut(dependency);
        try {
          const response = await request();
          expect(response.status, `${dependency}: ${await response.clone().text()}`).toBe(503);
          expect(response.headers.get('retry-after')).toBeTruthy();
          expect((await response.json()) as { detail: string }).toMatchObject({
            detail: expect.stringContaining(dependency),
          });
        } finally {
          await dependencies.restore(dependency);
        }
      }
      await waitForHttp(`${baseUrl}/ready`, 200, 60_000);
    }, 90_000);

    it('counts requests by route template in http_requests_total', async () => {
      const text = await (await fetch(`${api().baseUrl}/metrics`)).text();
      expect(text).toMatch(
        /http_requests_total\{method="GET",route="unmatched",status_code="404",service="api"\} [1-9]/,
      );
    });
  },
});

describe('api start-up with bad configuration', () => {
  it('refuses to start, naming every bad variable and the reason', async () => {
    const { code, output } = await startWithBadConfig('api', {
      WORKER_MAX_MEMORY: 'lots',
      WORKERS: '-1',
      TIMEOUT: 'abc',
      TEMPORAL_HOST: '::::',
    });
    expect(code).toBe(78);
    for (const variable of ['WORKER_MAX_MEMORY', 'WORKERS', 'TIMEOUT', 'TEMPORAL_HOST'])
      expect(output).toContain(variable);
  });

  it('refuses an unknown XORB_ENV', async () => {
    const { code, output } = await startWithBadConfig('api', { XORB_ENV: 'bogus' });
    expect(code).toBe(78);
    expect(output).toContain('XORB_ENV');
  });

  it('refuses production without its secrets, naming each one', async () => {
    const { code, output } = await startWithBadConfig('api', { XORB_ENV: 'production' });
    expect(code).toBe(78);
    expect(output).toContain('jwt_secret');
    expect(output).toContain('postgres_password');
  });
});
