import { type ProblemList } from '../config-error';
import { type XorbConfig } from '../config-types';
import { isLoopbackOrigin } from '../parsing/parse-cors-origin';
import { targetReachesLoopback } from '../parsing/parse-network-target';
import { SECRETS, SECRET_NAMES, type SecretName } from '../settings/secret-catalog';
import { type SecretDefinition } from '../settings/secret-catalog';
import { secretWeakness } from './secret-strength';

export interface HardenedRuleInput {
  config: XorbConfig;
  /** The secret values in use (undefined or '' when not provided). */
  secrets: Record<SecretName, string | undefined>;
  secretsDir: string;
}

function howToProvide(name: SecretName, secretsDir: string): string {
  const definition: SecretDefinition = SECRETS[name];
  const fromUrl = name === 'postgres_password' ? ', a password in DATABASE_URL' : '';
  return (
    `provide the Docker secret ${secretsDir}/${name}, a file named by ${definition.fileVariable}, ` +
    `the Vault key "${name}" (with VAULT_ADDR)${fromUrl} or, discouraged, ${definition.variable}`
  );
}

/**
 * Staging and production refuse to start with missing or weak secrets and with development-only
 * settings. Every rule adds a problem; none stops the others.
 */
export function checkHardenedEnvironment(input: HardenedRuleInput, problems: ProblemList): void {
  const { config, secrets } = input;
  const env = config.env;

  for (const name of SECRET_NAMES) {
    const definition: SecretDefinition = SECRETS[name];
    const value = secrets[name];
    if (value === undefined || value === '') {
      if (definition.requiredWhenHardened)
        problems.add(name, `is required in ${env}: ${howToProvide(name, input.secretsDir)}`);
      continue;
    }
    const weakness = secretWeakness(value, definition.strength);
    if (weakness) problems.add(name, `${weakness}; ${env} needs a strong secret`);
  }

  if (config.apiService.debug) problems.add('DEBUG', `must be false in ${env}`);
  if (config.apiService.corsOrigins.includes('*')) {
    problems.add('CORS_ORIGINS', `"*" is refused in ${env}: list the allowed origins`);
  }
  const loopbackOrigins = config.apiService.corsOrigins.filter(isLoopbackOrigin);
  if (loopbackOrigins.length > 0) {
    problems.add(
      'CORS_ORIGINS',
      `loopback origins are development-only, refused in ${env}: ${loopbackOrigins.join(', ')}`,
    );
  }
  const loopbackTargets = config.scanning.allowlist.filter(targetReachesLoopback);
  if (loopbackTargets.length > 0) {
    problems.add(
      'SCAN_ALLOWLIST',
      `loopback entries are development-only, refused in ${env}: ${loopbackTargets.join(', ')}`,
    );
  }
  if (config.development.seed)
    problems.add('XORB_DEV_SEED', `demo data is development-only: must be false in ${env}`);
}
