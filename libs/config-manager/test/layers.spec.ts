import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { XORB_ENVS } from '../src/index';
import {
  STRONG,
  directoryWith,
  load,
  loadError,
  problemFor,
  strongSecretsDirectory,
  temporaryDirectory,
} from './support';

function configFile(values: Record<string, unknown>): string {
  const path = join(temporaryDirectory(), 'xorb.json');
  writeFileSync(path, JSON.stringify(values));
  return path;
}

describe('layer 1: built-in defaults', () => {
  it('gives a complete development configuration with no variables at all', async () => {
    const config = await load({});
    expect(config.env).toBe('development');
    expect(config.apiService).toMatchObject({
      port: 8000,
      workers: 1,
      requestTimeoutSeconds: 30,
      debug: false,
    });
    expect(config.orchestratorService.port).toBe(8001);
    expect(config.workerService).toMatchObject({
      port: 8002,
      concurrency: 4,
      maxMemoryBytes: 512 * 1024 ** 2,
    });
    expect(config.database).toMatchObject({
      host: 'localhost',
      port: 5432,
      name: 'xorb',
      user: 'xorb',
      ssl: 'disable',
    });
    expect(config.redis.url).toBe('redis://localhost:6379');
    expect(config.temporal).toEqual({
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'xorb-scans',
    });
    expect(config.apiService.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.embeddings).toMatchObject({
      provider: 'local',
      dimensions: 384,
      url: undefined,
      apiKey: undefined,
    });
    expect(config.security).toMatchObject({ accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 7 * 86_400 });
  });

  it('always contains the built-in denylist', async () => {
    for (const env of XORB_ENVS) {
      const options =
        env === 'staging' || env === 'production' ? { secretsDir: strongSecretsDirectory() } : {};
      const config = await load({ XORB_ENV: env }, options);
      expect(config.scanning.denylist).toEqual(
        expect.arrayContaining([
          '169.254.0.0/16',
          'fe80::/10',
          '169.254.169.254/32',
          'fd00:ec2::254/128',
          '224.0.0.0/4',
          'ff00::/8',
          '255.255.255.255/32',
          '100.100.100.200/32',
        ]),
      );
    }
  });
});

describe('layer 2: the XORB_ENV profile', () => {
  it('development: debug logging and a loopback-only allowlist', async () => {
    const config = await load({ XORB_ENV: 'development' });
    expect(config.logging.level).toBe('debug');
    expect(config.scanning.allowlist).toEqual(['127.0.0.0/8', '::1/128']);
    expect(config.shutdown.graceSeconds).toBe(10);
  });

  it('test: like development but quiet, bound to loopback', async () => {
    const config = await load({ XORB_ENV: 'test' });
    expect(config.logging.level).toBe('warn');
    expect(config.scanning.allowlist).toEqual(['127.0.0.0/8', '::1/128']);
    expect(config.apiService.host).toBe('127.0.0.1');
  });

  it('production: hardened defaults, compose service names, longer grace', async () => {
    const config = await load({ XORB_ENV: 'production' }, { secretsDir: strongSecretsDirectory() });
    expect(config.logging.level).toBe('info');
    expect(config.scanning.allowlist).toEqual([]);
    expect(config.shutdown.graceSeconds).toBe(25);
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.database.host).toBe('postgres');
    expect(config.redis.url).toBe('redis://redis:6379');
    expect(config.apiService.host).toBe('0.0.0.0');
  });

  it('staging is hardened like production', async () => {
    const config = await load({ XORB_ENV: 'staging' }, { secretsDir: strongSecretsDirectory() });
    expect(config.scanning.allowlist).toEqual([]);
    expect(config.logging.level).toBe('info');
  });

  it('refuses an unknown XORB_ENV, listing the allowed values', async () => {
    const error = await loadError({ XORB_ENV: 'prod' });
    expect(problemFor(error, 'XORB_ENV')).toBe(
      'must be one of: development, staging, production, test (got "prod")',
    );
  });
});

describe('layer 3: XORB_CONFIG_FILE', () => {
  it('overrides the profile, with strings, numbers, booleans and arrays', async () => {
    const path = configFile({
      LOG_LEVEL: 'trace',
      WORKERS: 3,
      DEBUG: true,
      CORS_ORIGINS: ['https://a.example.com', 'https://b.example.com'],
      SCAN_ALLOWLIST: ['198.51.100.0/24', 'scan.example.com'],
    });
    const config = await load({ XORB_CONFIG_FILE: path });
    expect(config.logging.level).toBe('trace');
    expect(config.apiService.workers).toBe(3);
    expect(config.apiService.debug).toBe(true);
    expect(config.apiService.corsOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(config.scanning.allowlist).toEqual(['198.51.100.0/24', 'scan.example.com']);
  });

  it('is overridden by environment variables', async () => {
    const path = configFile({ WORKERS: 3, API_PORT: 9000 });
    const config = await load({ XORB_CONFIG_FILE: path, WORKERS: '5' });
    expect(config.apiService.workers).toBe(5);
    expect(config.apiService.port).toBe(9000);
  });
});

describe('layer 4: environment variables', () => {
  it('override defaults and profile', async () => {
    const config = await load({
      LOG_LEVEL: 'INFO',
      API_PORT: '9100',
      ORCHESTRATOR_PORT: '9101',
      WORKER_PORT: '9102',
      WORKERS: '8',
      TIMEOUT: '60',
      WORKER_CONCURRENCY: '8',
      WORKER_MAX_MEMORY: '1.5G',
      API_BODY_LIMIT: '256k',
      TEMPORAL_HOST: '[::1]:7234',
      TEMPORAL_NAMESPACE: 'xorb',
      TEMPORAL_TASK_QUEUE: 'scans-v2',
      SHUTDOWN_GRACE_SECONDS: '3',
      ACCESS_TOKEN_TTL: '5m',
      REFRESH_TOKEN_TTL: '1d',
      RATE_LIMIT_WINDOW_SECONDS: '1m',
      RATE_LIMIT_MAX_REQUESTS: '7',
    });
    expect(config.logging.level).toBe('info');
    expect(config.apiService).toMatchObject({
      port: 9100,
      workers: 8,
      requestTimeoutSeconds: 60,
      bodyLimitBytes: 262_144,
    });
    expect(config.orchestratorService.port).toBe(9101);
    expect(config.workerService).toMatchObject({
      port: 9102,
      concurrency: 8,
      maxMemoryBytes: 1.5 * 1024 ** 3,
    });
    expect(config.temporal).toEqual({ address: '[::1]:7234', namespace: 'xorb', taskQueue: 'scans-v2' });
    expect(config.shutdown.graceSeconds).toBe(3);
    expect(config.security).toMatchObject({
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 86_400,
      rateLimit: { windowSeconds: 60, maxRequests: 7 },
    });
  });

  it('treats blank variables as unset (compose passes FOO=)', async () => {
    const config = await load({ WORKERS: '', API_PORT: '  ' });
    expect(config.apiService.workers).toBe(1);
    expect(config.apiService.port).toBe(8000);
  });

  it('DATABASE_URL overrides the POSTGRES_* parts it contains', async () => {
    const config = await load({
      DATABASE_URL: 'postgres://scanner:url-password@db.internal:6543/xorb_prod?sslmode=require',
      POSTGRES_HOST: 'ignored',
      POSTGRES_DB: 'ignored',
      DATABASE_POOL_SIZE: '25',
    });
    expect(config.database).toMatchObject({
      host: 'db.internal',
      port: 6543,
      name: 'xorb_prod',
      user: 'scanner',
      password: 'url-password',
      ssl: 'require',
      poolSize: 25,
    });
    expect(config.database.getUrl()).toBe(
      'postgresql://scanner:url-password@db.internal:6543/xorb_prod?sslmode=require',
    );
  });

  it('a DATABASE_URL without some parts keeps the POSTGRES_* values for them', async () => {
    const config = await load({
      DATABASE_URL: 'postgres://db.internal',
      POSTGRES_USER: 'svc',
      POSTGRES_PORT: '5433',
    });
    expect(config.database).toMatchObject({ host: 'db.internal', port: 5433, user: 'svc', name: 'xorb' });
  });

  it('builds the database URL from POSTGRES_* and encodes special characters', async () => {
    const secretsDir = directoryWith({ postgres_password: 'p@ss:w/rd#1' });
    const config = await load(
      { POSTGRES_HOST: '::1', POSTGRES_DB: 'xorb', DATABASE_SSL: 'verify-full' },
      { secretsDir },
    );
    expect(config.database.getUrl()).toBe(
      'postgresql://xorb:p%40ss%3Aw%2Frd%231@[::1]:5432/xorb?sslmode=verify-full',
    );
  });

  it('REDIS_URL or REDIS_HOST/REDIS_PORT, with the redis_password secret added by getUrl()', async () => {
    const secretsDir = directoryWith({ redis_password: STRONG.redis_password });
    const fromHost = await load(
      { REDIS_HOST: 'cache', REDIS_PORT: '6380', REDIS_KEY_PREFIX: 'x:' },
      { secretsDir },
    );
    expect(fromHost.redis.url).toBe('redis://cache:6380');
    expect(fromHost.redis.keyPrefix).toBe('x:');
    expect(fromHost.redis.getUrl()).toBe(`redis://:${STRONG.redis_password}@cache:6380`);

    const fromUrl = await load({
      REDIS_URL: 'rediss://default:url-pass@cache.internal:6390/1',
      REDIS_HOST: 'ignored',
    });
    expect(fromUrl.redis.url).toBe('rediss://default@cache.internal:6390/1');
    expect(fromUrl.redis.getUrl()).toBe('rediss://default:url-pass@cache.internal:6390/1');
  });
});

describe('layer 5: secrets override everything below', () => {
  it('the postgres_password secret wins over the password in DATABASE_URL', async () => {
    const secretsDir = directoryWith({ postgres_password: 'from-secret-file' });
    const config = await load({ DATABASE_URL: 'postgres://u:from-url@db/x' }, { secretsDir });
    expect(config.database.password).toBe('from-secret-file');
    expect(config.database.getUrl()).toBe('postgresql://u:from-secret-file@db:5432/x?sslmode=disable');
  });

  it('the redis_password secret wins over the password in REDIS_URL', async () => {
    const config = await load({ REDIS_URL: 'redis://:from-url@cache:6379', REDIS_PASSWORD: 'from-env' });
    expect(config.redis.getUrl()).toBe('redis://:from-env@cache:6379');
  });

  it('API_KEY_CACHE_TTL: 5 s by default, 0 turns the cache off, at most 5 minutes', async () => {
    expect((await load({})).security.apiKeyCacheTtlSeconds).toBe(5);
    expect((await load({ API_KEY_CACHE_TTL: '0' })).security.apiKeyCacheTtlSeconds).toBe(0);
    expect((await load({ API_KEY_CACHE_TTL: '1m' })).security.apiKeyCacheTtlSeconds).toBe(60);
    const error = await loadError({ API_KEY_CACHE_TTL: '10m' });
    expect(problemFor(error, 'API_KEY_CACHE_TTL')).toMatch(/from 0 to 300 seconds/);
  });
});
