import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as contracts } from '@xorb/contracts';
import { roleAtLeast } from '../src/auth/principal';
import { registeredEndpoints } from '../src/http/endpoint';
import { ApiFixture, type SeededTenant } from './support/api-fixture';

/** Every role against every endpoint the API declares: the matrix is derived, never hand-kept. */
describe('RBAC matrix', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;

  beforeAll(async () => {
    api = await ApiFixture.start();
    tenant = await api.seedTenant();
  });
  afterAll(() => api?.stop());

  const protectedEndpoints = registeredEndpoints().filter((endpoint) => endpoint.access !== 'public');

  it('covers the API', () => {
    expect(protectedEndpoints.length).toBeGreaterThanOrEqual(15);
  });

  for (const endpoint of protectedEndpoints) {
    for (const role of contracts.ROLES) {
      const allowed = roleAtLeast(role, endpoint.access as contracts.Role);
      it(`${endpoint.method} ${endpoint.path} as ${role} is ${allowed ? 'allowed' : 'forbidden'}`, async () => {
        const url = endpoint.path.replace(/:id\b/g, randomUUID());
        // An empty body: allowed callers get past the guards (and then a 4xx for the body), forbidden ones stop at 403.
        const response = await api.request(endpoint.method, url, {
          key: tenant.keys[role],
          ...(endpoint.body ? { body: {} } : {}),
        });
        expect(response.status, response.body).toBeLessThan(500);
        if (allowed) expect([401, 403]).not.toContain(response.status);
        else {
          expect(response.status).toBe(403);
          expect(response.json().detail).toContain(`requires the ${endpoint.access} role`);
        }
      });
    }
    it(`${endpoint.method} ${endpoint.path} without credentials is 401`, async () => {
      const response = await api.request(endpoint.method, endpoint.path.replace(/:id\b/g, randomUUID()));
      expect(response.status).toBe(401);
    });
  }
});
