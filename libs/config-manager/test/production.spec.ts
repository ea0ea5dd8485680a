import { describe, expect, it } from 'vitest';
import {
  STRONG,
  directoryWith,
  load,
  loadError,
  problemFor,
  problemVariables,
  strongSecretsDirectory,
} from './support';

describe.each(['production', 'staging'])('%s is hardened', (env) => {
  it('starts with strong secrets and no development settings', async () => {
    const config = await load(
      { XORB_ENV: env, CORS_ORIGINS: 'https://app.example.com' },
      { secretsDir: strongSecretsDirectory() },
    );
    expect(config.env).toBe(env);
    expect(config.database.password).toBe(STRONG.postgres_password);
    expect(config.security.jwtSecret).toBe(STRONG.jwt_secret);
  });

  it('refuses missing secrets, naming each and how to provide it', async () => {
    const error = await loadError({ XORB_ENV: env });
    expect(problemVariables(error)).toEqual(['postgres_password', 'jwt_secret']);
    expect(problemFor(error, 'jwt_secret')).toMatch(
      new RegExp(
        `^is required in ${env}: provide the Docker secret .*/jwt_secret, a file named by JWT_SECRET_FILE`,
      ),
    );
  });

  it('accepts the postgres password from DATABASE_URL', async () => {
    const config = await load({
      XORB_ENV: env,
      DATABASE_URL: `postgres://xorb:${STRONG.postgres_password}@db:5432/xorb`,
      JWT_SECRET: STRONG.jwt_secret,
    });
    expect(config.database.password).toBe(STRONG.postgres_password);
  });

  it('refuses everything development-only at once, in ONE error', async () => {
    const secretsDir = directoryWith({
      postgres_password: 'changeme',
      jwt_secret: 'short',
      redis_password: 'redis',
      api_key_pepper: 'a'.repeat(40),
    });
    const error = await loadError(
      {
        XORB_ENV: env,
        DEBUG: 'true',
        CORS_ORIGINS: '*,http://localhost:3000',
        XORB_DEV_SEED: 'yes',
        SCAN_ALLOWLIST: '203.0.113.0/24,127.0.0.1',
      },
      { secretsDir },
    );
    expect(error.problems).toEqual([
      {
        variable: 'postgres_password',
        message: `is a well-known weak password; ${env} needs a strong secret`,
      },
      { variable: 'redis_password', message: `is a well-known weak password; ${env} needs a strong secret` },
      {
        variable: 'jwt_secret',
        message: `is too short: use at least 32 characters; ${env} needs a strong secret`,
      },
      {
        variable: 'api_key_pepper',
        message: `has too little variety: use at least 10 different characters (e.g. openssl rand -base64 48); ${env} needs a strong secret`,
      },
      { variable: 'DEBUG', message: `must be false in ${env}` },
      { variable: 'CORS_ORIGINS', message: `"*" is refused in ${env}: list the allowed origins` },
      {
        variable: 'CORS_ORIGINS',
        message: `loopback origins are development-only, refused in ${env}: http://localhost:3000`,
      },
      {
        variable: 'SCAN_ALLOWLIST',
        message: `loopback entries are development-only, refused in ${env}: 127.0.0.1/32`,
      },
      { variable: 'XORB_DEV_SEED', message: `demo data is development-only: must be false in ${env}` },
    ]);
    for (const secret of ['changeme', 'short', 'redis', 'a'.repeat(40)]) {
      expect(error.message).not.toContain(`${secret};`);
      expect(error.message).not.toContain(`"${secret}"`);
    }
    expect(error.message).not.toContain('a'.repeat(40));
  });

  it.each([
    ['postgres_password', 'short-pw', 'is too short: use at least 12 characters'],
    ['postgres_password', 'PASSWORD', 'is a well-known weak password'],
    ['postgres_password', 'dev-only-insecure-postgres-password', 'is the development-only fallback value'],
    ['jwt_secret', 'dev-only-insecure-jwt-secret-change-me-000000', 'is the development-only fallback value'],
    [
      'jwt_secret',
      'ab'.repeat(20),
      'has too little variety: use at least 10 different characters (e.g. openssl rand -base64 48)',
    ],
  ])('refuses a weak %s', async (name, value, reason) => {
    const secretsDir = directoryWith({
      postgres_password: STRONG.postgres_password,
      jwt_secret: STRONG.jwt_secret,
      [name]: value,
    });
    const error = await loadError({ XORB_ENV: env }, { secretsDir });
    expect(problemFor(error, name)).toBe(`${reason}; ${env} needs a strong secret`);
    expect(error.message).not.toContain(value);
  });

  it('allows DATABASE_SSL=disable (compose-internal network) and no redis password', async () => {
    const config = await load(
      { XORB_ENV: env, DATABASE_SSL: 'disable' },
      { secretsDir: strongSecretsDirectory() },
    );
    expect(config.database.ssl).toBe('disable');
    expect(config.redis.getUrl()).toBe('redis://redis:6379');
  });
});

describe('development and test are permissive', () => {
  it.each(['development', 'test'])(
    '%s allows DEBUG, "*", loopback and demo data with no secrets',
    async (env) => {
      const config = await load({ XORB_ENV: env, DEBUG: '1', CORS_ORIGINS: '*', XORB_DEV_SEED: 'true' });
      expect(config.apiService.debug).toBe(true);
      expect(config.apiService.corsOrigins).toEqual(['*']);
      expect(config.development.seed).toBe(true);
    },
  );
});
