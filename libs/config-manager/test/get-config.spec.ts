import { describe, expect, it, vi } from 'vitest';
import { ConfigError, getConfig, loadConfig, resetConfigForTests } from '../src/index';
import { directoryWith, temporaryDirectory } from './support';

function useProcessEnvironment(variables: Record<string, string>): void {
  for (const name of [
    'XORB_CONFIG_FILE',
    'VAULT_ADDR',
    'DATABASE_URL',
    'REDIS_URL',
    'JWT_SECRET',
    'JWT_SECRET_FILE',
  ]) {
    vi.stubEnv(name, '');
  }
  vi.stubEnv('XORB_SECRETS_DIR', temporaryDirectory());
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
}

describe('getConfig', () => {
  it('loads synchronously from process.env when nothing is cached, then caches', () => {
    useProcessEnvironment({ XORB_ENV: 'test', API_PORT: '18000' });
    try {
      const first = getConfig();
      expect(first.env).toBe('test');
      expect(first.apiService.port).toBe(18000);
      vi.stubEnv('API_PORT', '18001');
      expect(getConfig()).toBe(first);
      resetConfigForTests();
      expect(getConfig().apiService.port).toBe(18001);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reads secret files synchronously too', () => {
    const secretsDir = directoryWith({ jwt_secret: 'sync-secret\n' });
    useProcessEnvironment({ XORB_ENV: 'development' });
    vi.stubEnv('XORB_SECRETS_DIR', secretsDir);
    try {
      expect(getConfig().security.jwtSecret).toBe('sync-secret');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('returns what loadConfig() cached', async () => {
    const loaded = await loadConfig({
      env: { XORB_ENV: 'test', WORKERS: '3' },
      secretsDir: temporaryDirectory(),
    });
    expect(getConfig()).toBe(loaded);
    expect(getConfig().apiService.workers).toBe(3);
  });

  it('throws a ConfigError and caches nothing when invalid', () => {
    useProcessEnvironment({ XORB_ENV: 'test', WORKERS: 'many' });
    try {
      expect(() => getConfig()).toThrow(ConfigError);
      vi.stubEnv('WORKERS', '2');
      expect(getConfig().apiService.workers).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a failed loadConfig() keeps the previous cache', async () => {
    const good = await loadConfig({ env: { XORB_ENV: 'test' }, secretsDir: temporaryDirectory() });
    await expect(loadConfig({ env: { XORB_ENV: 'test', WORKERS: '0' } })).rejects.toThrow(ConfigError);
    expect(getConfig()).toBe(good);
  });
});
