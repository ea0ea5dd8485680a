import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import {
  ConfigError,
  loadConfig,
  resetConfigForTests,
  type LoadOptions,
  type XorbConfig,
} from '../src/index';

/** Strong values that pass the production rules. Tests assert they never leak. */
export const STRONG = {
  postgres_password: 'Pg-Str0ng-Secret-Value-7f3c9a',
  jwt_secret: 'Jwt-Signing-Key-9c8b7a6f5e4d3c2b1a0-ZyXw',
  redis_password: 'Redis-Str0ng-Secret-Value-41d2',
  api_key_pepper: 'Pepper-Value-0123456789-abcdefghij-KLMN',
  embeddings_api_key: 'sk-embeddings-key-0000-secret',
} as const;

const temporaryDirectories: string[] = [];

/** A fresh temporary directory, removed after the test. */
export function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'xorb-config-'));
  temporaryDirectories.push(directory);
  return directory;
}

/** Writes files (name → content) into a fresh temporary directory and returns the directory. */
export function directoryWith(files: Record<string, string>): string {
  const directory = temporaryDirectory();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  return directory;
}

/** A secrets directory holding the strong production secrets, as Docker would mount them. */
export function strongSecretsDirectory(): string {
  return directoryWith({
    postgres_password: `${STRONG.postgres_password}\n`,
    jwt_secret: `${STRONG.jwt_secret}\n`,
  });
}

afterEach(() => {
  resetConfigForTests();
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Loads from exactly these variables, with an empty secrets directory unless one is given. */
export function load(
  env: Record<string, string | undefined>,
  options: Omit<LoadOptions, 'env'> = {},
): Promise<XorbConfig> {
  return loadConfig({ secretsDir: temporaryDirectory(), ...options, env });
}

/** Loads expecting a ConfigError, and returns it. */
export async function loadError(
  env: Record<string, string | undefined>,
  options: Omit<LoadOptions, 'env'> = {},
): Promise<ConfigError> {
  const error = await load(env, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

/** The variables named by a ConfigError's problems. */
export function problemVariables(error: ConfigError): string[] {
  return error.problems.map((problem) => problem.variable);
}

/** The message of the (single) problem naming `variable`. */
export function problemFor(error: ConfigError, variable: string): string {
  const matches = error.problems.filter((problem) => problem.variable === variable);
  expect(matches, `problems naming ${variable}: ${error.message}`).toHaveLength(1);
  return matches[0]?.message ?? '';
}
