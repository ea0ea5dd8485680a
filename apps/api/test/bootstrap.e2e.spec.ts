import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ServiceProcess, waitForHttp, WORKSPACE_ROOT } from '@xorb/testing';
import { DEV_SEED } from '../src/identity/provisioning';
import { ApiFixture } from './support/api-fixture';

const run = promisify(execFile);

async function bootstrap(
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'apps/api/src/cli/bootstrap.ts'],
      {
        cwd: WORKSPACE_ROOT,
        env: { PATH: process.env.PATH ?? '', XORB_ENV: 'test', XORB_SECRETS_DIR: '/nonexistent', ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('first tenant and admin', () => {
  let api: ApiFixture;
  let passwordFile: string;

  beforeAll(async () => {
    api = await ApiFixture.start();
    const directory = await mkdtemp(join(tmpdir(), 'xorb-bootstrap-'));
    passwordFile = join(directory, 'bootstrap_admin_password');
    await writeFile(passwordFile, 'a-strong-first-password\n');
  });
  afterAll(() => api?.stop());

  it('refuses to run without its inputs, naming each one', async () => {
    const result = await bootstrap({ DATABASE_URL: api.config.database.getUrl() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('XORB_BOOTSTRAP_TENANT');
    expect(result.stderr).toContain('XORB_BOOTSTRAP_ADMIN_EMAIL');
    expect(result.stderr).toContain('bootstrap_admin_password');
  });

  it('creates the tenant and admin from env and a secret file, then leaves them alone when run again', async () => {
    const env = {
      DATABASE_URL: api.config.database.getUrl(),
      XORB_BOOTSTRAP_TENANT: 'acme',
      XORB_BOOTSTRAP_TENANT_NAME: 'Acme Corp',
      XORB_BOOTSTRAP_ADMIN_EMAIL: 'Root@Acme.test',
      BOOTSTRAP_ADMIN_PASSWORD_FILE: passwordFile,
    };
    const first = await bootstrap(env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/tenant acme created .*admin Root@Acme.test created/);
    expect(first.stdout + first.stderr).not.toContain('a-strong-first-password');
    const again = await bootstrap(env);
    expect(again.stdout).toMatch(/tenant acme already existed .*already existed \(password unchanged\)/);

    const token = await api.request('POST', '/api/v1/auth/token', {
      body: {
        grant_type: 'password',
        tenant: 'acme',
        email: 'root@acme.test',
        password: 'a-strong-first-password',
      },
    });
    expect(token.status).toBe(200);
    const me = await api.request('GET', '/api/v1/me', {
      key: token.json<{ access_token: string }>().access_token,
    });
    expect(me.json()).toMatchObject({ role: 'admin', tenant: { slug: 'acme', name: 'Acme Corp' } });
  });

  it('refuses a short admin password', async () => {
    const short = join(passwordFile, '..', 'short');
    await writeFile(short, 'short');
    const result = await bootstrap({
      DATABASE_URL: api.config.database.getUrl(),
      XORB_BOOTSTRAP_TENANT: 'beta',
      XORB_BOOTSTRAP_ADMIN_EMAIL: 'a@b.test',
      BOOTSTRAP_ADMIN_PASSWORD_FILE: short,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('at least 12 characters');
  });

  it('XORB_DEV_SEED installs the documented development key', async () => {
    const port = await freePort();
    const service = ServiceProcess.start('api', {
      XORB_ENV: 'development',
      XORB_DEV_SEED: 'true',
      LOG_LEVEL: 'info',
      DATABASE_URL: api.config.database.getUrl(),
      REDIS_URL: api.config.redis.getUrl(),
      TEMPORAL_HOST: api.config.temporal.address,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health`);
      const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
        headers: { 'x-api-key': DEV_SEED.apiKey },
      });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ role: 'admin', tenant: { slug: 'dev' } });
      expect(service.lines.join('\n')).not.toContain(DEV_SEED.apiKey);
    } finally {
      await service.stop();
    }
  });
});
