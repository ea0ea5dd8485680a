import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getConfig, loadConfig } from '../src/index';
import { STRONG, directoryWith, load, loadError, problemFor, problemVariables } from './support';

const TOKEN = 'hvs.test-token-never-printed-3f9a';
const VAULT_SECRETS = {
  postgres_password: 'Vault-Postgres-Password-81ac2e',
  jwt_secret: 'Vault-Jwt-Signing-Key-0f1e2d3c4b5a69788796a5b4',
  redis_password: 'Vault-Redis-Password-77d1c0',
};

interface SeenRequest {
  method: string | undefined;
  url: string | undefined;
  token: string | undefined;
  namespace: string | undefined;
}

/** A loopback stand-in for Vault's KV v2 HTTP API, answering like Vault does. */
class FakeVault {
  readonly requests: SeenRequest[] = [];
  private server: Server | undefined;
  address = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.answer(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.address = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const token = request.headers['x-vault-token'];
    const namespace = request.headers['x-vault-namespace'];
    this.requests.push({
      method: request.method,
      url: request.url,
      token: typeof token === 'string' ? token : undefined,
      namespace: typeof namespace === 'string' ? namespace : undefined,
    });
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (token !== TOKEN) return json(403, { errors: ['permission denied'] });
    switch (request.url) {
      case '/v1/secret/data/xorb/production':
      case '/v1/kv-team/data/apps/xorb-prod.v2':
        return json(200, {
          request_id: 'b8e6e3c2',
          lease_duration: 0,
          data: {
            data: VAULT_SECRETS,
            metadata: { version: 3, created_time: '2026-01-15T10:30:00Z', destroyed: false },
          },
        });
      case '/v1/secret/data/xorb/development':
        return json(200, {
          data: { data: { jwt_secret: 42, unrelated: 'ignored' }, metadata: { version: 1 } },
        });
      case '/v1/secret/data/xorb/staging':
        response.writeHead(200, { 'content-type': 'text/html' });
        return void response.end('<html>proxy login</html>');
      case '/v1/secret/data/xorb/test':
        return json(200, { data: { keys: ['not-kv-v2'] } });
      default:
        return json(404, { errors: [] });
    }
  }
}

const vault = new FakeVault();
beforeAll(() => vault.start());
afterAll(() => vault.stop());
beforeEach(() => {
  vault.requests.length = 0;
});

function tokenFile(token = TOKEN): string {
  return join(directoryWith({ token: `${token}\n` }), 'token');
}

describe('HashiCorp Vault KV v2', () => {
  it('reads the secrets with the token header from the right path, and they win over local secrets', async () => {
    const secretsDir = directoryWith({
      postgres_password: STRONG.postgres_password,
      jwt_secret: STRONG.jwt_secret,
    });
    const config = await load(
      {
        XORB_ENV: 'production',
        VAULT_ADDR: `${vault.address}/`,
        VAULT_TOKEN_FILE: tokenFile(),
        JWT_SECRET_FILE: join(secretsDir, 'jwt_secret'),
      },
      { secretsDir },
    );
    expect(vault.requests).toEqual([
      { method: 'GET', url: '/v1/secret/data/xorb/production', token: TOKEN, namespace: undefined },
    ]);
    expect(config.database.password).toBe(VAULT_SECRETS.postgres_password);
    expect(config.security.jwtSecret).toBe(VAULT_SECRETS.jwt_secret);
    expect(config.redis.getUrl()).toBe(`redis://:${VAULT_SECRETS.redis_password}@redis:6379`);
  });

  it('is enough on its own for production (no local secrets at all)', async () => {
    const config = await load({
      XORB_ENV: 'production',
      VAULT_ADDR: vault.address,
      VAULT_TOKEN_FILE: tokenFile(),
    });
    expect(config.security.jwtSecret).toBe(VAULT_SECRETS.jwt_secret);
  });

  it('reads vault_token from the secrets directory by default, and honours mount, path and namespace', async () => {
    const secretsDir = directoryWith({ vault_token: TOKEN });
    const config = await load(
      {
        XORB_ENV: 'production',
        VAULT_ADDR: vault.address,
        VAULT_KV_MOUNT: 'kv-team',
        VAULT_SECRET_PATH: 'apps/xorb-prod.v2',
        VAULT_NAMESPACE: 'security/xorb',
      },
      { secretsDir },
    );
    expect(vault.requests).toEqual([
      { method: 'GET', url: '/v1/kv-team/data/apps/xorb-prod.v2', token: TOKEN, namespace: 'security/xorb' },
    ]);
    expect(config.database.password).toBe(VAULT_SECRETS.postgres_password);
  });

  it('403: a problem naming VAULT_ADDR with the status, never the token', async () => {
    const wrongToken = 'hvs.wrong-token-must-not-leak-11';
    const error = await loadError({
      XORB_ENV: 'production',
      VAULT_ADDR: vault.address,
      VAULT_TOKEN_FILE: tokenFile(wrongToken),
    });
    expect(problemFor(error, 'VAULT_ADDR')).toBe(
      'Vault answered HTTP 403 for secret/data/xorb/production (permission denied: check the token and its policy); Vault says: permission denied',
    );
    expect(error.message).not.toContain(wrongToken);
    // Without Vault's answer the production secrets are missing too: all reported together.
    expect(problemVariables(error)).toEqual(['VAULT_ADDR', 'postgres_password', 'jwt_secret']);
  });

  it('404: a problem naming VAULT_ADDR with the status and what to check', async () => {
    const error = await loadError({
      XORB_ENV: 'production',
      VAULT_ADDR: vault.address,
      VAULT_SECRET_PATH: 'xorb/nowhere',
      VAULT_TOKEN_FILE: tokenFile(),
    });
    expect(problemFor(error, 'VAULT_ADDR')).toBe(
      'Vault answered HTTP 404 for secret/data/xorb/nowhere (no secret at this path: check VAULT_KV_MOUNT and VAULT_SECRET_PATH)',
    );
    expect(error.message).not.toContain(TOKEN);
  });

  it('a body that is not JSON, or not KV v2, is a problem naming VAULT_ADDR', async () => {
    const notJson = await loadError({
      XORB_ENV: 'staging',
      VAULT_ADDR: vault.address,
      VAULT_TOKEN_FILE: tokenFile(),
    });
    expect(problemFor(notJson, 'VAULT_ADDR')).toContain(
      'HTTP 200 for secret/data/xorb/staging with a body that is not JSON',
    );
    const notKv2 = await loadError({
      XORB_ENV: 'test',
      VAULT_ADDR: vault.address,
      VAULT_TOKEN_FILE: tokenFile(),
    });
    expect(problemFor(notKv2, 'VAULT_ADDR')).toContain('without data.data: is secret a KV version 2 mount?');
  });

  it('refuses a non-string value for a known key and ignores unrelated keys', async () => {
    const error = await loadError({
      XORB_ENV: 'development',
      VAULT_ADDR: vault.address,
      VAULT_TOKEN_FILE: tokenFile(),
    });
    expect(problemFor(error, 'VAULT_ADDR')).toBe(
      'the key "jwt_secret" at secret/data/xorb/development must be a string',
    );
  });

  it('unreachable: a problem naming VAULT_ADDR', async () => {
    const closed = new FakeVault();
    await closed.start();
    await closed.stop();
    const error = await loadError({ VAULT_ADDR: closed.address, VAULT_TOKEN_FILE: tokenFile() });
    expect(problemFor(error, 'VAULT_ADDR')).toBe(`Vault at ${closed.address} is unreachable (ECONNREFUSED)`);
  });

  it('a Vault that never answers times out', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const error = await loadError({
        VAULT_ADDR: address,
        VAULT_TOKEN_FILE: tokenFile(),
        VAULT_TIMEOUT_MS: '200',
      });
      expect(problemFor(error, 'VAULT_ADDR')).toBe(`Vault at ${address} did not answer within 200 ms`);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a missing token file is a problem naming VAULT_TOKEN_FILE', async () => {
    const missing = join(directoryWith({}), 'vault_token');
    const error = await loadError({ VAULT_ADDR: vault.address, VAULT_TOKEN_FILE: missing });
    expect(problemFor(error, 'VAULT_TOKEN_FILE')).toBe(
      `the Vault token file ${missing} does not exist (needed because VAULT_ADDR is set)`,
    );
    expect(vault.requests).toEqual([]);
  });

  it('production refuses plain http to a Vault that is not on loopback, without sending the token', async () => {
    const calls: string[] = [];
    const error = await loadError(
      { XORB_ENV: 'production', VAULT_ADDR: 'http://vault.internal:8200', VAULT_TOKEN_FILE: tokenFile() },
      { fetch: (input) => (calls.push(String(input)), Promise.reject(new Error('must not be called'))) },
    );
    expect(problemFor(error, 'VAULT_ADDR')).toBe(
      'must use https in production (plain http is allowed only on loopback): the Vault token would travel in clear',
    );
    expect(calls).toEqual([]);
  });

  it('does not call Vault when a VAULT_* setting is invalid', async () => {
    const error = await loadError({
      VAULT_ADDR: vault.address,
      VAULT_SECRET_PATH: '../escape',
      VAULT_TOKEN_FILE: tokenFile(),
    });
    expect(problemFor(error, 'VAULT_SECRET_PATH')).toContain('must be a path like xorb/production');
    expect(vault.requests).toEqual([]);
  });

  it('getConfig() refuses to skip Vault: it asks to await loadConfig()', async () => {
    const previous = process.env['VAULT_ADDR'];
    process.env['VAULT_ADDR'] = vault.address;
    try {
      expect(() => getConfig()).toThrow(/VAULT_ADDR: is set, .*await loadConfig\(\)/);
      // Once loadConfig() has been awaited, getConfig() answers from the cache.
      const loaded = await loadConfig({
        env: { XORB_ENV: 'production', VAULT_ADDR: vault.address, VAULT_TOKEN_FILE: tokenFile() },
      });
      expect(getConfig()).toBe(loaded);
    } finally {
      if (previous === undefined) delete process.env['VAULT_ADDR'];
      else process.env['VAULT_ADDR'] = previous;
    }
  });
});
