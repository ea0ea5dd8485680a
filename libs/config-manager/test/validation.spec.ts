import { describe, expect, it } from 'vitest';
import { loadError, problemFor, problemVariables } from './support';

describe('refusing bad values, naming the variable and the reason', () => {
  it.each([
    ['WORKER_MAX_MEMORY', 'lots', 'must be a size like 512m, 1g or 1.5G'],
    ['WORKER_MAX_MEMORY', '1m', 'must be a size from 16m to 1024g'],
    ['WORKERS', '-1', 'must be a whole number from 1 to 64'],
    ['WORKERS', '0', 'must be a whole number from 1 to 64'],
    ['WORKERS', '65', 'must be a whole number from 1 to 64'],
    ['WORKERS', '2.5', 'must be a whole number from 1 to 64'],
    ['TIMEOUT', 'abc', 'must be a number of seconds'],
    ['TIMEOUT', '0', 'must be from 1 to 3600 seconds'],
    ['TEMPORAL_HOST', '::::', 'must be host:port'],
    ['TEMPORAL_HOST', 'temporal:99999', 'the port must be a TCP port'],
    ['API_PORT', '0', 'must be a TCP port from 1 to 65535'],
    ['API_PORT', '70000', 'must be a TCP port from 1 to 65535'],
    ['ORCHESTRATOR_PORT', 'http', 'must be a TCP port'],
    ['WORKER_PORT', '-8002', 'must be a TCP port'],
    ['POSTGRES_PORT', '5432x', 'must be a TCP port'],
    ['DEBUG', 'maybe', 'must be a boolean: true/false, 1/0 or yes/no'],
    ['XORB_DEV_SEED', 'on', 'must be a boolean'],
    ['LOG_LEVEL', 'verbose', 'must be one of: trace, debug, info, warn, error, fatal'],
    ['DATABASE_SSL', 'prefer', 'must be one of: disable, require, verify-full'],
    ['EMBEDDINGS_PROVIDER', 'openai', 'must be one of: local, none, openai-compatible, ollama'],
    ['EMBEDDINGS_URL', 'ftp://models', 'must be an http:// or https:// URL'],
    ['EMBEDDINGS_DIMENSIONS', '4096', 'must be a whole number from 1 to 2000'],
    ['VAULT_ADDR', 'vault:8200', 'must be an http:// or https:// URL'],
    ['CORS_ORIGINS', 'https://app.example.com/path', 'must be an origin like https://example.com'],
    ['API_BODY_LIMIT', 'big', 'must be a size like'],
    ['POSTGRES_HOST', 'db host', 'must be a host name or an IP address'],
    ['ACCESS_TOKEN_TTL', '2d', 'must be from 1 to 86400 seconds'],
    ['SCAN_RATE_PER_SECOND', '0', 'must be a whole number from 1 to 10000'],
  ])('%s=%j', async (variable, value, reason) => {
    const error = await loadError({ [variable]: value });
    const message = problemFor(error, variable);
    expect(message).toContain(reason);
    expect(message).toContain(JSON.stringify(value));
    expect(message).toContain('in the environment');
    expect(error.message.split('\n')).toContain(`${variable}: ${message}`);
  });

  it('accepts the guide spelling LOG_LEVEL=INFO', async () => {
    const { load } = await import('./support');
    expect((await load({ LOG_LEVEL: 'INFO' })).logging.level).toBe('info');
  });

  it.each([
    ['SCAN_ALLOWLIST', '10.0.0.0/33', 'entry "10.0.0.0/33" has an invalid prefix length'],
    ['SCAN_ALLOWLIST', '10.0.0.1/8', 'entry "10.0.0.1/8" has host bits set after the /8 prefix'],
    ['SCAN_ALLOWLIST', '300.1.1.1', 'entry "300.1.1.1" is not a valid IPv4 address'],
    ['SCAN_DENYLIST', 'bad_host!', 'entry "bad_host!" is neither a CIDR block nor a host name'],
    ['SCAN_DENYLIST', 'fe80::1/200', 'entry "fe80::1/200" has an invalid prefix length'],
  ])('bad CIDR in %s=%j', async (variable, value, reason) => {
    const error = await loadError({ [variable]: `192.0.2.0/24,${value}` });
    expect(problemFor(error, variable)).toContain(reason);
  });

  it('names every bad entry of a list in one problem', async () => {
    const error = await loadError({ SCAN_ALLOWLIST: '10.0.0.0/33, ok.example.com, 1.2.3.4/40' });
    const message = problemFor(error, 'SCAN_ALLOWLIST');
    expect(message).toContain('"10.0.0.0/33"');
    expect(message).toContain('"1.2.3.4/40"');
    expect(message).not.toContain('"ok.example.com"');
  });

  it('refuses an allowlist covering every address', async () => {
    const error = await loadError({ SCAN_ALLOWLIST: '0.0.0.0/0' });
    expect(problemFor(error, 'SCAN_ALLOWLIST')).toContain('would allow scanning every address');
  });

  it('never quotes DATABASE_URL or REDIS_URL, which may hold a password', async () => {
    const error = await loadError({
      DATABASE_URL: 'mysql://app:hunter2-database@db/x',
      REDIS_URL: 'http://:hunter2-redis@cache',
    });
    expect(problemFor(error, 'DATABASE_URL')).toContain('must start with postgres:// or postgresql://');
    expect(problemFor(error, 'REDIS_URL')).toContain('must start with redis:// or rediss://');
    expect(error.message).not.toContain('hunter2');
  });

  it('redacts passwords of URLs it quotes (VAULT_ADDR, EMBEDDINGS_URL, CORS_ORIGINS)', async () => {
    const error = await loadError({
      VAULT_ADDR: 'https://ops:hunter2-vault@vault.internal',
      EMBEDDINGS_URL: 'https://key:hunter2-embeddings@models.internal',
      CORS_ORIGINS: 'https://u:hunter2-cors@app.example.com',
    });
    expect(problemFor(error, 'VAULT_ADDR')).toBe(
      'must not contain credentials (got "https://ops:[redacted]@vault.internal/" in the environment)',
    );
    expect(problemFor(error, 'EMBEDDINGS_URL')).toContain('must not contain credentials');
    expect(problemFor(error, 'CORS_ORIGINS')).toContain('"https://u:[redacted]@app.example.com/"');
    expect(error.message).not.toContain('hunter2');
  });

  it('checks settings against each other', async () => {
    const error = await loadError({
      ACCESS_TOKEN_TTL: '2h',
      REFRESH_TOKEN_TTL: '1h',
      SCAN_CONNECT_TIMEOUT_MS: '5000',
      SCAN_PORT_TIMEOUT_MS: '1000',
      EMBEDDINGS_PROVIDER: 'ollama',
    });
    expect(problemFor(error, 'REFRESH_TOKEN_TTL')).toContain('must be longer than ACCESS_TOKEN_TTL');
    expect(problemFor(error, 'SCAN_PORT_TIMEOUT_MS')).toContain('must be at least SCAN_CONNECT_TIMEOUT_MS');
    expect(problemFor(error, 'EMBEDDINGS_URL')).toBe('is required when EMBEDDINGS_PROVIDER is ollama');
  });

  it('collects every problem into one ConfigError, one line each', async () => {
    const error = await loadError({
      XORB_ENV: 'bogus',
      WORKER_MAX_MEMORY: 'lots',
      WORKERS: '-1',
      TIMEOUT: 'abc',
      TEMPORAL_HOST: '::::',
      API_PORT: '99999',
      DEBUG: 'sometimes',
      LOG_LEVEL: 'loud',
      SCAN_ALLOWLIST: '10.0.0.0/99',
      EMBEDDINGS_URL: 'nope',
    });
    expect(problemVariables(error).sort()).toEqual(
      [
        'XORB_ENV',
        'WORKER_MAX_MEMORY',
        'WORKERS',
        'TIMEOUT',
        'TEMPORAL_HOST',
        'API_PORT',
        'DEBUG',
        'LOG_LEVEL',
        'SCAN_ALLOWLIST',
        'EMBEDDINGS_URL',
      ].sort(),
    );
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid XORB configuration (10 problems):');
    expect(lines).toHaveLength(11);
    for (const problem of error.problems) expect(lines).toContain(`${problem.variable}: ${problem.message}`);
    expect(error.name).toBe('ConfigError');
    expect(Object.isFrozen(error.problems)).toBe(true);
  });
});
