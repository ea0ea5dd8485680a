import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STRONG, directoryWith, temporaryDirectory } from './support';

const SCRIPT = fileURLToPath(new URL('../../../tools/scripts/config-manager.sh', import.meta.url));

/** Runs the script with only PATH and HOME from this process, plus `variables`. */
function run(args: string[], variables: Record<string, string> = {}) {
  const result = spawnSync(SCRIPT, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...variables },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tools/scripts/config-manager.sh', () => {
  it('validate production with no secrets fails, naming each missing secret', () => {
    const { status, stdout, stderr } = run(['validate', 'production'], {
      XORB_SECRETS_DIR: temporaryDirectory(),
    });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('configuration invalid for production (2 problems):');
    expect(lines[1]).toMatch(/^postgres_password: is required in production/);
    expect(lines[2]).toMatch(/^jwt_secret: is required in production/);
  });

  it('validate production passes with secrets given through *_FILE', () => {
    const secrets = directoryWith({ pg: `${STRONG.postgres_password}\n`, jwt: `${STRONG.jwt_secret}\n` });
    const { status, stdout, stderr } = run(['validate', 'production'], {
      XORB_SECRETS_DIR: temporaryDirectory(),
      POSTGRES_PASSWORD_FILE: join(secrets, 'pg'),
      JWT_SECRET_FILE: join(secrets, 'jwt'),
    });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toBe('configuration valid for production\n');
  });

  it('lists every problem, one per line, and no secret', () => {
    const secrets = directoryWith({ jwt: 'weak-jwt-value' });
    const { status, stderr } = run(['validate', 'production'], {
      XORB_SECRETS_DIR: temporaryDirectory(),
      JWT_SECRET_FILE: join(secrets, 'jwt'),
      WORKERS: '-1',
      DEBUG: 'true',
    });
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('configuration invalid for production (4 problems):');
    expect(lines.slice(1).map((line) => line.split(':')[0])).toEqual([
      'WORKERS',
      'postgres_password',
      'jwt_secret',
      'DEBUG',
    ]);
    expect(stderr).not.toContain('weak-jwt-value');
  });

  it('the <env> argument wins over XORB_ENV from the environment', () => {
    const { status, stdout } = run(['validate', 'test'], {
      XORB_ENV: 'production',
      XORB_SECRETS_DIR: temporaryDirectory(),
    });
    expect(status).toBe(0);
    expect(stdout).toBe('configuration valid for test\n');
  });

  it('validate bogus fails clearly with exit 2', () => {
    const { status, stdout, stderr } = run(['validate', 'bogus']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'unknown environment "bogus": expected one of development, staging, production, test\n',
    );
  });

  it('an unknown command prints the usage with exit 2', () => {
    const { status, stderr } = run(['frobnicate']);
    expect(status).toBe(2);
    expect(stderr).toContain('usage: config-manager.sh <command>');
  });

  it('print shows the redacted configuration as JSON', () => {
    const secrets = directoryWith({
      jwt_secret: STRONG.jwt_secret,
      postgres_password: STRONG.postgres_password,
    });
    const { status, stdout } = run(['print', 'production'], { XORB_SECRETS_DIR: secrets });
    expect(status).toBe(0);
    const dump = JSON.parse(stdout) as { env: string; security: { jwtSecret: string } };
    expect(dump.env).toBe('production');
    expect(dump.security.jwtSecret).toBe('[redacted]');
    expect(stdout).not.toContain(STRONG.jwt_secret);
    expect(stdout).not.toContain(STRONG.postgres_password);
  });
});
