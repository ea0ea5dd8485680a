import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../src/index';
import { STRONG, directoryWith, load } from './support';

async function loadWithEverySecret() {
  const secretsDir = directoryWith({
    postgres_password: STRONG.postgres_password,
    jwt_secret: STRONG.jwt_secret,
    redis_password: STRONG.redis_password,
    api_key_pepper: STRONG.api_key_pepper,
    embeddings_api_key: STRONG.embeddings_api_key,
  });
  return load(
    {
      XORB_ENV: 'production',
      CORS_ORIGINS: 'https://app.example.com',
      EMBEDDINGS_PROVIDER: 'openai-compatible',
      EMBEDDINGS_URL: 'https://embeddings.example.com/v1',
    },
    { secretsDir },
  );
}

describe('redactConfig', () => {
  it('replaces every secret by [redacted] and keeps everything else', async () => {
    const config = await loadWithEverySecret();
    const dump = redactConfig(config);
    expect(dump).toMatchObject({
      env: 'production',
      database: {
        host: 'postgres',
        password: '[redacted]',
        url: 'postgresql://xorb:[redacted]@postgres:5432/xorb?sslmode=disable',
      },
      redis: { url: 'redis://redis:6379', keyPrefix: 'xorb' },
      security: { jwtSecret: '[redacted]', apiKeyPepper: '[redacted]', jwtIssuer: 'xorb' },
      embeddings: { apiKey: '[redacted]', url: 'https://embeddings.example.com/v1' },
      apiService: { port: 8000, corsOrigins: ['https://app.example.com'] },
    });
    const text = JSON.stringify(dump);
    for (const secret of Object.values(STRONG)) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toEqual(dump);
  });

  it('says [unset] for secrets that are empty or absent', async () => {
    const config = await load({ XORB_ENV: 'development' });
    const dump = redactConfig(config) as {
      security: Record<string, unknown>;
      embeddings: Record<string, unknown>;
    };
    expect(dump.security['apiKeyPepper']).toBe('[unset]');
    expect(dump.security['jwtSecret']).toBe('[redacted]');
    expect(dump.embeddings['apiKey']).toBe('[unset]');
  });

  it('redacts a password that came inside REDIS_URL or DATABASE_URL', async () => {
    const config = await load({
      REDIS_URL: 'redis://user:redis-url-secret@cache:6379/0',
      DATABASE_URL: 'postgres://app:db-url-secret@db/x',
    });
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toContain('redis-url-secret');
    expect(text).not.toContain('db-url-secret');
    expect(text).toContain('postgresql://app:[redacted]@db:5432/x?sslmode=disable');
  });

  it('JSON.stringify and util.inspect of the config never show a secret', async () => {
    const config = await loadWithEverySecret();
    const renderings = [
      JSON.stringify(config),
      JSON.stringify(config.database),
      JSON.stringify(config.security),
      JSON.stringify({ ...config.database }),
      inspect(config, { depth: 10 }),
      String(Object.keys(config.security)),
    ];
    for (const rendering of renderings) {
      for (const secret of Object.values(STRONG)) expect(rendering).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(config))).toEqual(redactConfig(config));
  });

  it('secrets stay readable where they are needed', async () => {
    const config = await loadWithEverySecret();
    expect(config.security.jwtSecret).toBe(STRONG.jwt_secret);
    expect(config.security.apiKeyPepper).toBe(STRONG.api_key_pepper);
    expect(config.embeddings.apiKey).toBe(STRONG.embeddings_api_key);
    expect(config.database.getUrl()).toContain(STRONG.postgres_password);
    expect(config.redis.getUrl()).toBe(`redis://:${STRONG.redis_password}@redis:6379`);
  });
});

describe('the configuration is deeply frozen', () => {
  it('throws on any mutation, at any depth, secrets included', async () => {
    const config = await loadWithEverySecret();
    const mutable = config as unknown as Record<string, Record<string, unknown>>;
    expect(() => {
      (config as { env: string }).env = 'development';
    }).toThrow(TypeError);
    expect(() => {
      config.apiService.port = 1;
    }).toThrow(TypeError);
    expect(() => {
      config.security.rateLimit.maxRequests = 1e9;
    }).toThrow(TypeError);
    expect(() => {
      config.scanning.denylist.pop();
    }).toThrow(TypeError);
    expect(() => {
      config.apiService.corsOrigins.push('*');
    }).toThrow(TypeError);
    expect(() => {
      config.security.jwtSecret = 'x';
    }).toThrow(TypeError);
    expect(() => {
      delete mutable['database']?.['host'];
    }).toThrow(TypeError);
    expect(() => {
      mutable['extra'] = {};
    }).toThrow(TypeError);
    expect(Object.isFrozen(config.database.getUrl)).toBe(true);
  });
});
