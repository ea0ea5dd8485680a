import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XORB_ENVS, listSettings } from '../src/index';
import { SETTINGS, SETTING_NAMES } from '../src/settings/catalog';
import { renderSettingsTable } from '../src/settings/settings-table';
import { type SettingDefinition } from '../src/settings/setting-definition';
import { load } from './support';

/** The configuration reference lives in the workspace README. */
const README = new URL('../../../README.md', import.meta.url);
const TABLE_START = '<!-- settings-table:start -->';
const TABLE_END = '<!-- settings-table:end -->';

describe('listSettings', () => {
  it('lists every variable and every secret once', () => {
    const variables = listSettings().map((setting) => setting.variable);
    expect(new Set(variables).size).toBe(variables.length);
    expect(variables).toEqual(expect.arrayContaining([...SETTING_NAMES]));
    expect(
      listSettings()
        .filter((setting) => setting.secret)
        .map((setting) => setting.secretName),
    ).toEqual([
      'postgres_password',
      'redis_password',
      'jwt_secret',
      'api_key_pepper',
      'bootstrap_admin_password',
      'embeddings_api_key',
    ]);
    for (const mandatory of [
      'XORB_ENV',
      'WORKERS',
      'TIMEOUT',
      'DEBUG',
      'LOG_LEVEL',
      'TEMPORAL_HOST',
      'WORKER_CONCURRENCY',
      'WORKER_MAX_MEMORY',
    ]) {
      expect(variables).toContain(mandatory);
    }
  });

  it('describes defaults per environment, profiles applied', () => {
    const byVariable = new Map(listSettings().map((setting) => [setting.variable, setting]));
    expect(byVariable.get('API_PORT')?.defaults).toEqual({
      development: '8000',
      staging: '8000',
      production: '8000',
      test: '8000',
    });
    expect(byVariable.get('LOG_LEVEL')?.defaults).toEqual({
      development: 'debug',
      staging: 'info',
      production: 'info',
      test: 'warn',
    });
    expect(byVariable.get('JWT_SECRET')).toMatchObject({
      secret: true,
      secretName: 'jwt_secret',
      fileVariable: 'JWT_SECRET_FILE',
      requiredWhenHardened: true,
      defaults: {
        production: undefined,
        staging: undefined,
        development: expect.stringContaining('dev-only'),
      },
    });
  });

  it('every built-in default and profile value is valid', () => {
    for (const name of SETTING_NAMES) {
      const definition: SettingDefinition<unknown> = SETTINGS[name];
      for (const env of XORB_ENVS) {
        const value = definition.profiles?.[env] ?? definition.default;
        if (value !== undefined)
          expect(definition.parse(value), `${name} in ${env}`).toMatchObject({ ok: true });
      }
    }
  });

  it('the documented defaults are what a load with no variables gives', async () => {
    for (const env of ['development', 'test'] as const) {
      const config = await load({ XORB_ENV: env });
      const defaults = new Map(listSettings().map((setting) => [setting.variable, setting.defaults[env]]));
      expect(String(config.apiService.port)).toBe(defaults.get('API_PORT'));
      expect(config.logging.level).toBe(defaults.get('LOG_LEVEL'));
      expect(config.security.jwtSecret).toBe(defaults.get('JWT_SECRET'));
      expect(config.scanning.allowlist.join(',')).toBe(defaults.get('SCAN_ALLOWLIST'));
    }
  });

  it('the README configuration table is up to date (regenerate with: config-manager.sh settings)', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start, 'README table markers').toBeGreaterThan(-1);
    expect(readme.slice(start + TABLE_START.length, end).trim()).toBe(renderSettingsTable());
  });
});
