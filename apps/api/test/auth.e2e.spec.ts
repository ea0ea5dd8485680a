import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFixture, type SeededTenant } from './support/api-fixture';

describe('authentication', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;

  beforeAll(async () => {
    api = await ApiFixture.start();
    tenant = await api.seedTenant();
  });
  afterAll(() => api?.stop());

  async function signIn(password = tenant.adminPassword) {
    return api.request('POST', '/api/v1/auth/token', {
      body: { grant_type: 'password', tenant: tenant.slug, email: tenant.adminEmail, password },
    });
  }

  it('issues an access token for a good password and accepts it', async () => {
    const response = await signIn();
    expect(response.status).toBe(200);
    const token = response.json<{ access_token: string; token_type: string; expires_in: number }>();
    expect(token.token_type).toBe('Bearer');
    expect(token.expires_in).toBeGreaterThan(0);
    const me = await api.request('GET', '/api/v1/me', { key: token.access_token });
    expect(me.status).toBe(200);
    expect(me.json()).toMatchObject({
      kind: 'user',
      role: 'admin',
      actor: `user:${tenant.adminEmail}`,
      tenant: { slug: tenant.slug },
    });
  });

  it('refuses a bad password, an unknown user and an unknown tenant alike', async () => {
    for (const body of [
      {
        grant_type: 'password',
        tenant: tenant.slug,
        email: tenant.adminEmail,
        password: 'wrong-password-123',
      },
      { grant_type: 'password', tenant: tenant.slug, email: 'nobody@x.test', password: 'wrong-password-123' },
      {
        grant_type: 'password',
        tenant: 'no-such-tenant',
        email: tenant.adminEmail,
        password: tenant.adminPassword,
      },
    ]) {
      const response = await api.request('POST', '/api/v1/auth/token', { body });
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().detail).toBe('The credentials are not valid');
    }
  });

  it('exchanges an API key for a token, and accepts keys directly in both headers', async () => {
    const exchanged = await api.request('POST', '/api/v1/auth/token', {
      body: { grant_type: 'api_key', api_key: tenant.keys.analyst },
    });
    expect(exchanged.status).toBe(200);
    const viaToken = await api.request('GET', '/api/v1/me', {
      key: exchanged.json<{ access_token: string }>().access_token,
    });
    expect(viaToken.json()).toMatchObject({ kind: 'api_key', role: 'analyst' });
    expect((await api.request('GET', '/api/v1/me', { key: tenant.keys.viewer })).json()).toMatchObject({
      kind: 'api_key',
      role: 'viewer',
    });
    const viaHeader = await api.request('GET', '/api/v1/me', { headers: { 'x-api-key': tenant.keys.admin } });
    expect(viaHeader.json()).toMatchObject({ role: 'admin' });
  });

  it('answers 401 with WWW-Authenticate when credentials are missing or malformed', async () => {
    const missing = await api.request('GET', '/api/v1/me');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="xorb"');
    for (const key of [
      'not-a-token',
      'xorb_short',
      `${tenant.keys.admin.slice(0, -1)}${tenant.keys.admin.endsWith('A') ? 'B' : 'A'}`,
      'a.b.c',
    ]) {
      const response = await api.request('GET', '/api/v1/me', { key });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('invalid_token');
    }
  });

  it('refuses expired tokens, and tokens signed with another key', async () => {
    const payload = { tid: tenant.id, knd: 'api_key' };
    const base = () =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('00000000-0000-0000-0000-000000000000')
        .setJti('x')
        .setIssuer(api.config.security.jwtIssuer)
        .setAudience('xorb-api');
    const expired = await base()
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(api.config.security.jwtSecret));
    const response = await api.request('GET', '/api/v1/me', { key: expired });
    expect(response.status).toBe(401);
    expect(response.json().detail).toBe('The credentials have expired');
    const forged = await base()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('another-secret-another-secret-123456'));
    expect((await api.request('GET', '/api/v1/me', { key: forged })).status).toBe(401);
  });

  it('revokes an access token at once', async () => {
    const token = (await signIn()).json<{ access_token: string }>().access_token;
    expect((await api.request('POST', '/api/v1/auth/revoke', { key: token })).status).toBe(204);
    const after = await api.request('GET', '/api/v1/me', { key: token });
    expect(after.status).toBe(401);
    expect(after.json().detail).toBe('The credentials have been revoked');
  });

  it('shows a new API key once, and a revoked or expired key stops working', async () => {
    const created = await api.request('POST', '/api/v1/api-keys', {
      key: tenant.keys.admin,
      body: { name: 'ci', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    const { key, id, prefix } = created.json<{ key: string; id: string; prefix: string }>();
    expect(key.startsWith(`xorb_${prefix}_`)).toBe(true);
    const listed = await api.request('GET', '/api/v1/api-keys', { key: tenant.keys.admin });
    expect(listed.body).not.toContain(key.slice(`xorb_${prefix}_`.length));
    expect((await api.request('GET', '/api/v1/me', { key })).status).toBe(200);
    const exchanged = (
      await api.request('POST', '/api/v1/auth/token', { body: { grant_type: 'api_key', api_key: key } })
    ).json<{ access_token: string }>();

    expect((await api.request('DELETE', `/api/v1/api-keys/${id}`, { key: tenant.keys.admin })).status).toBe(
      204,
    );
    const revoked = await api.request('GET', '/api/v1/me', { key });
    expect(revoked.status).toBe(401);
    expect(revoked.json().detail).toBe('The credentials have been revoked');
    expect((await api.request('GET', '/api/v1/me', { key: exchanged.access_token })).status).toBe(401);

    const expiring = await api.request('POST', '/api/v1/api-keys', {
      key: tenant.keys.admin,
      body: { name: 'short', role: 'viewer', expires_at: new Date(Date.now() + 1500).toISOString() },
    });
    const shortKey = expiring.json<{ key: string }>().key;
    expect((await api.request('GET', '/api/v1/me', { key: shortKey })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const expired = await api.request('GET', '/api/v1/me', { key: shortKey });
    expect(expired.status).toBe(401);
    expect(expired.json().detail).toBe('The credentials have expired');
  });

  it('stops a disabled user at once, token or not', async () => {
    const created = await api.request('POST', '/api/v1/users', {
      key: tenant.keys.admin,
      body: { email: 'Analyst@Example.test', role: 'analyst', password: 'a-long-password-1' },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ email: 'analyst@example.test', role: 'analyst', disabled: false });
    const signIn = await api.request('POST', '/api/v1/auth/token', {
      body: {
        grant_type: 'password',
        tenant: tenant.slug,
        email: 'analyst@example.test',
        password: 'a-long-password-1',
      },
    });
    const token = signIn.json<{ access_token: string }>().access_token;
    expect((await api.request('GET', '/api/v1/me', { key: token })).status).toBe(200);
    const id = created.json<{ id: string }>().id;
    expect(
      (
        await api.request('PATCH', `/api/v1/users/${id}`, {
          key: tenant.keys.admin,
          body: { disabled: true },
        })
      ).status,
    ).toBe(200);
    expect((await api.request('GET', '/api/v1/me', { key: token })).status).toBe(401);
  });

  it('refuses an API key that would already be expired, naming the field', async () => {
    const response = await api.request('POST', '/api/v1/api-keys', {
      key: tenant.keys.admin,
      body: { name: 'x', role: 'admin', expires_at: '2000-01-01T00:00:00Z' },
    });
    expect(response.status).toBe(400);
    expect(response.json<{ errors: Array<{ field: string }> }>().errors[0]?.field).toBe('expires_at');
  });
});
