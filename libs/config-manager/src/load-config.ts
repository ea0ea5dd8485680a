import { join } from 'node:path';
import { buildConfig } from './build/build-config';
import { SettingReader } from './build/setting-reader';
import { ConfigError, ProblemList } from './config-error';
import { type XorbConfig } from './config-types';
import { deepFreeze } from './deep-freeze';
import { environmentValue } from './layers/environment-value';
import { fetchVaultSecrets, type VaultRequest } from './layers/fetch-vault-secrets';
import { readConfigFile } from './layers/read-config-file';
import { resolveLocalSecrets, withVaultSecrets, type ResolvedSecret } from './layers/resolve-secrets';
import { resolveSettings } from './layers/resolve-settings';
import { redactConfig } from './redact-config';
import { checkHardenedEnvironment } from './rules/hardened-environment-rules';
import { vaultTransportRefusal } from './rules/vault-transport-rule';
import { type SecretName } from './settings/secret-catalog';
import { DEFAULT_XORB_ENV, XORB_ENVS, isHardenedEnv, isXorbEnv, type XorbEnv } from './xorb-env';

export interface LoadOptions {
  /** Variables to read instead of process.env. */
  env?: Record<string, string | undefined>;
  /** Directory of Docker secret files; default XORB_SECRETS_DIR, else /run/secrets. */
  secretsDir?: string;
  /** fetch used to reach Vault; default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** Everything read before Vault: layers 1-4 and the local secrets. */
interface PreparedLoad {
  env: XorbEnv;
  envIsValid: boolean;
  problems: ProblemList;
  settings: SettingReader;
  secretsDir: string;
  localSecrets: ReadonlyMap<SecretName, ResolvedSecret>;
  /** VAULT_ADDR is set (valid or not): secrets are expected from Vault. */
  vaultConfigured: boolean;
  /** What to ask Vault; undefined when Vault is not configured or its settings are invalid. */
  vaultRequest: Omit<VaultRequest, 'fetch'> | undefined;
}

let cachedConfig: XorbConfig | undefined;

function readXorbEnv(
  environment: Record<string, string | undefined>,
  problems: ProblemList,
): XorbEnv | undefined {
  const raw = environmentValue(environment, 'XORB_ENV')?.trim();
  if (raw === undefined) return DEFAULT_XORB_ENV;
  if (isXorbEnv(raw)) return raw;
  problems.add(
    'XORB_ENV',
    `must be one of: ${XORB_ENVS.join(', ')} (got ${JSON.stringify(raw.slice(0, 40))})`,
  );
  return undefined;
}

function prepare(options: LoadOptions): PreparedLoad {
  const environment = options.env ?? process.env;
  const problems = new ProblemList();
  const parsedEnv = readXorbEnv(environment, problems);
  const env = parsedEnv ?? DEFAULT_XORB_ENV;
  const configFile = environmentValue(environment, 'XORB_CONFIG_FILE')?.trim();
  const fileValues =
    configFile === undefined ? new Map<string, string>() : readConfigFile(configFile, problems);
  const settings = new SettingReader(
    env,
    resolveSettings(env, fileValues, environment),
    problems,
    configFile,
  );
  const secretsDir = options.secretsDir ?? settings.read('XORB_SECRETS_DIR');
  const localSecrets = resolveLocalSecrets(environment, secretsDir, problems);
  const vaultRequest = prepareVaultRequest(env, settings, secretsDir, problems);
  const vaultConfigured = settings.isExplicit('VAULT_ADDR');
  return {
    env,
    envIsValid: parsedEnv !== undefined,
    problems,
    settings,
    secretsDir,
    localSecrets,
    vaultConfigured,
    vaultRequest,
  };
}

/** The Vault request, when VAULT_ADDR is set and every VAULT_* setting is valid and safe to use. */
function prepareVaultRequest(
  env: XorbEnv,
  settings: SettingReader,
  secretsDir: string,
  problems: ProblemList,
): Omit<VaultRequest, 'fetch'> | undefined {
  const address = settings.read('VAULT_ADDR');
  if (address === undefined) return undefined;
  const request = {
    address,
    mount: settings.read('VAULT_KV_MOUNT'),
    secretPath: settings.read('VAULT_SECRET_PATH'),
    namespace: settings.read('VAULT_NAMESPACE'),
    tokenFile: settings.isExplicit('VAULT_TOKEN_FILE')
      ? settings.read('VAULT_TOKEN_FILE')
      : join(secretsDir, 'vault_token'),
    timeoutMs: settings.read('VAULT_TIMEOUT_MS'),
  };
  const refusal = vaultTransportRefusal(env, address);
  if (refusal) problems.add('VAULT_ADDR', refusal);
  return problems.some((variable) => variable.startsWith('VAULT_')) ? undefined : request;
}

function complete(prepared: PreparedLoad, vaultSecrets: ReadonlyMap<SecretName, string>): XorbConfig {
  const { env, problems, settings } = prepared;
  const secrets = withVaultSecrets(prepared.localSecrets, vaultSecrets);
  const { config, secretsInUse } = buildConfig({ env, settings, secrets, problems });
  if (prepared.envIsValid && isHardenedEnv(env)) {
    checkHardenedEnvironment({ config, secrets: secretsInUse, secretsDir: prepared.secretsDir }, problems);
  }
  problems.throwIfAny();
  // JSON.stringify(config) (and so any logger) gets the redacted dump, never a secret.
  Object.defineProperty(config, 'toJSON', { value: () => redactConfig(config), enumerable: false });
  return deepFreeze(config);
}

/**
 * Reads, validates and freezes the configuration from every layer, Vault included, and caches it
 * for getConfig(). Throws one ConfigError listing every problem.
 */
export async function loadConfig(options: LoadOptions = {}): Promise<XorbConfig> {
  const prepared = prepare(options);
  const vaultSecrets = prepared.vaultRequest
    ? await fetchVaultSecrets(
        { ...prepared.vaultRequest, fetch: options.fetch ?? globalThis.fetch },
        prepared.problems,
      )
    : new Map<SecretName, string>();
  const config = complete(prepared, vaultSecrets);
  cachedConfig = config;
  return config;
}

/**
 * The cached configuration. When nothing is cached it is read synchronously from process.env and
 * the secret files (every layer but Vault); with VAULT_ADDR set, await loadConfig() first.
 */
export function getConfig(): XorbConfig {
  if (cachedConfig) return cachedConfig;
  const prepared = prepare({});
  if (prepared.vaultConfigured) {
    prepared.problems.add(
      'VAULT_ADDR',
      'is set, so secrets come from Vault, which getConfig() cannot read synchronously: await loadConfig() once at start-up, before any getConfig()',
    );
    throw new ConfigError(prepared.problems.toArray());
  }
  cachedConfig = complete(prepared, new Map());
  return cachedConfig;
}

/** Forgets the cached configuration (tests only). */
export function resetConfigForTests(): void {
  cachedConfig = undefined;
}
