import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadError, problemFor, temporaryDirectory } from './support';

function fileWith(content: string): string {
  const path = join(temporaryDirectory(), 'xorb.json');
  writeFileSync(path, content);
  return path;
}

describe('XORB_CONFIG_FILE problems', () => {
  it('names XORB_CONFIG_FILE when the file cannot be read', async () => {
    const path = join(temporaryDirectory(), 'missing.json');
    const error = await loadError({ XORB_CONFIG_FILE: path });
    expect(problemFor(error, 'XORB_CONFIG_FILE')).toBe(`cannot read ${path} (ENOENT)`);
  });

  it('names XORB_CONFIG_FILE when the file is not JSON, without quoting its text', async () => {
    const path = fileWith('{ "WORKERS": 2, "LOG_LEVEL": top-secret-looking-text }');
    const error = await loadError({ XORB_CONFIG_FILE: path });
    const message = problemFor(error, 'XORB_CONFIG_FILE');
    expect(message).toMatch(new RegExp(`^${path} is not valid JSON`));
    expect(error.message).not.toContain('top-secret-looking-text');
  });

  it('requires a JSON object', async () => {
    const error = await loadError({ XORB_CONFIG_FILE: fileWith('["WORKERS"]') });
    expect(problemFor(error, 'XORB_CONFIG_FILE')).toContain('must contain a JSON object');
  });

  it('refuses unknown keys, secrets, environment-only keys and wrong types, all at once', async () => {
    const path = fileWith(
      JSON.stringify({
        WORKRES: 4,
        JWT_SECRET: 'never-read-from-a-file-0123456789',
        POSTGRES_PASSWORD_FILE: '/tmp/x',
        XORB_ENV: 'production',
        API_PORT: { value: 1 },
        WORKERS: [1, 2],
        DEBUG: null,
      }),
    );
    const error = await loadError({ XORB_CONFIG_FILE: path });
    const messages = error.problems
      .filter((problem) => problem.variable === 'XORB_CONFIG_FILE')
      .map((p) => p.message);
    expect(messages).toEqual([
      `unknown setting "WORKRES" (did you mean WORKERS?) in ${path}`,
      `the secret JWT_SECRET is never read from a config file: use a Docker secret, a *_FILE variable or Vault in ${path}`,
      `the secret POSTGRES_PASSWORD_FILE is never read from a config file: use a Docker secret, a *_FILE variable or Vault in ${path}`,
      `XORB_ENV can only be set in the environment in ${path}`,
      `API_PORT in ${path} must be a string, number or boolean`,
      `WORKERS in ${path} must be a string, number or boolean`,
      `DEBUG in ${path} must be a string, number or boolean`,
    ]);
    expect(error.message).not.toContain('never-read-from-a-file');
  });

  it('a bad value from the file names the variable and the file', async () => {
    const path = fileWith(JSON.stringify({ WORKERS: 100, TEMPORAL_HOST: '::::' }));
    const error = await loadError({ XORB_CONFIG_FILE: path });
    expect(problemFor(error, 'WORKERS')).toBe(
      `must be a whole number from 1 to 64 (got "100" in XORB_CONFIG_FILE ${path})`,
    );
    expect(problemFor(error, 'TEMPORAL_HOST')).toContain(`in XORB_CONFIG_FILE ${path}`);
  });
});
