import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directoryWith, load, loadError, problemFor, temporaryDirectory } from './support';

describe('secret lookup order: <NAME> < secrets dir < <NAME>_FILE (< Vault)', () => {
  it('reads the environment variable when nothing else is there', async () => {
    const config = await load({ JWT_SECRET: 'from-environment' });
    expect(config.security.jwtSecret).toBe('from-environment');
  });

  it('a file in the secrets directory wins over the variable, trailing newline trimmed', async () => {
    const secretsDir = directoryWith({
      jwt_secret: 'from-secrets-dir\n',
      postgres_password: 'pg-from-dir\r\n',
    });
    const config = await load({ JWT_SECRET: 'from-environment' }, { secretsDir });
    expect(config.security.jwtSecret).toBe('from-secrets-dir');
    expect(config.database.password).toBe('pg-from-dir');
  });

  it('<NAME>_FILE wins over the secrets directory', async () => {
    const secretsDir = directoryWith({ jwt_secret: 'from-secrets-dir' });
    const other = directoryWith({ jwt: 'from-file-variable\n\n' });
    const config = await load(
      { JWT_SECRET: 'from-environment', JWT_SECRET_FILE: join(other, 'jwt') },
      { secretsDir },
    );
    expect(config.security.jwtSecret).toBe('from-file-variable');
  });

  it('keeps inner and leading white space, trimming only trailing newlines', async () => {
    const secretsDir = directoryWith({ api_key_pepper: '  pepper with spaces \n' });
    const config = await load({}, { secretsDir });
    expect(config.security.apiKeyPepper).toBe('  pepper with spaces ');
  });

  it('XORB_SECRETS_DIR chooses the secrets directory', async () => {
    const secretsDir = directoryWith({ embeddings_api_key: 'key-from-custom-dir' });
    const { loadConfig } = await import('../src/index');
    const config = await loadConfig({ env: { XORB_SECRETS_DIR: secretsDir } });
    expect(config.embeddings.apiKey).toBe('key-from-custom-dir');
  });

  it('an empty file in the secrets directory counts as not provided', async () => {
    const secretsDir = directoryWith({ jwt_secret: '\n' });
    const config = await load({ JWT_SECRET: 'from-environment' }, { secretsDir });
    expect(config.security.jwtSecret).toBe('from-environment');
  });

  it('a <NAME>_FILE naming a missing or empty file is a problem naming that variable', async () => {
    const directory = directoryWith({ empty: '' });
    const missing = join(directory, 'nope');
    const error = await loadError({
      JWT_SECRET_FILE: missing,
      POSTGRES_PASSWORD_FILE: join(directory, 'empty'),
    });
    expect(problemFor(error, 'JWT_SECRET_FILE')).toBe(`names the file ${missing}, which does not exist`);
    expect(problemFor(error, 'POSTGRES_PASSWORD_FILE')).toContain('which is empty');
  });

  it('an unreadable secret is a problem naming the secret, not a silent fallback', async () => {
    const secretsDir = temporaryDirectory();
    mkdirSync(join(secretsDir, 'jwt_secret'));
    const error = await loadError({}, { secretsDir });
    expect(problemFor(error, 'jwt_secret')).toBe(`cannot read ${join(secretsDir, 'jwt_secret')} (EISDIR)`);
  });

  it('reports a file it may not read', async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const secretsDir = directoryWith({ jwt_secret: 'x' });
    chmodSync(join(secretsDir, 'jwt_secret'), 0o000);
    const error = await loadError({}, { secretsDir });
    expect(problemFor(error, 'jwt_secret')).toContain('EACCES');
  });
});

describe('development fallbacks', () => {
  it('development and test fall back to documented, clearly named values', async () => {
    for (const env of ['development', 'test']) {
      const config = await load({ XORB_ENV: env });
      expect(config.security.jwtSecret).toBe('dev-only-insecure-jwt-secret-change-me-000000');
      expect(config.database.password).toBe('dev-only-insecure-postgres-password');
      expect(config.security.apiKeyPepper).toBeUndefined();
      expect(config.redis.getUrl()).toBe('redis://localhost:6379');
    }
  });

  it('staging and production never fall back', async () => {
    for (const env of ['staging', 'production']) {
      const error = await loadError({ XORB_ENV: env });
      expect(error.problems.map((p) => p.variable)).toEqual(['postgres_password', 'jwt_secret']);
    }
  });

  it('a secret file written by the test helper is really used over the fallback', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'postgres_password'), 'explicit');
    const config = await load({}, { secretsDir: directory });
    expect(config.database.password).toBe('explicit');
  });
});
