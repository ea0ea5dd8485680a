import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../src/docs/openapi';
import { ApiFixture } from './support/api-fixture';

type Operation = { responses: Record<string, unknown>; 'x-required-role'?: string };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('OpenAPI document', () => {
  let api: ApiFixture;
  let document: Document;

  beforeAll(async () => {
    api = await ApiFixture.start();
    document = (await api.request('GET', '/openapi.json')).json<Document>();
  });
  afterAll(() => api?.stop());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('matches the routes the server really has, both ways', () => {
    const fastify = api.app.getHttpAdapter().getInstance();
    const served = routesOf(fastify.printRoutes({ commonPrefix: false }))
      .filter((route) => route.url.startsWith('/api/v1') && route.method !== 'HEAD')
      .map((route) => `${route.method} ${openApiPath(route.url)}`)
      .sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(served.length).toBeGreaterThanOrEqual(15);
    expect(documented).toEqual(served);
  });

  it('documents the role and the problem responses of protected operations', () => {
    const operation = document.paths['/api/v1/targets']?.post;
    expect(operation?.['x-required-role']).toBe('analyst');
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '413', '429']),
    );
    expect(document.paths['/api/v1/auth/token']?.post).toMatchObject({ security: [] });
  });

  it('serves the interactive docs from its own origin', async () => {
    const page = await api.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/docs/swagger-ui-bundle.js');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    const script = await api.request('GET', '/docs/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect(script.body.length).toBeGreaterThan(100_000);
    expect((await api.request('GET', '/docs/package.json')).status).toBe(404);
  });
});

/** Reads Fastify's printRoutes tree ("│   └── /:id (GET, PATCH)") back into full paths. */
function routesOf(tree: string): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  const parents: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] as string).length / 4;
    const url = `${parents[depth - 1] ?? ''}${match[2] as string}`;
    parents[depth] = url;
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}
