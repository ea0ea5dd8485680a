import { join } from 'node:path';
import { type ProblemList } from '../config-error';
import { SECRETS, SECRET_NAMES, type SecretName } from '../settings/secret-catalog';
import { environmentValue } from './environment-value';
import { readSecretFile } from './read-secret-file';

/** Where a secret's value came from, lowest precedence first. */
export type SecretOrigin = 'environment' | 'secrets-dir' | 'file-variable' | 'vault';

export interface ResolvedSecret {
  value: string;
  origin: SecretOrigin;
}

export type ResolvedSecrets = ReadonlyMap<SecretName, ResolvedSecret>;

/**
 * Secrets from the local sources, later winning: the `<NAME>` variable (discouraged), the file
 * `<secretsDir>/<name>`, then the file named by `<NAME>_FILE` (which must exist).
 */
export function resolveLocalSecrets(
  environment: Record<string, string | undefined>,
  secretsDir: string,
  problems: ProblemList,
): Map<SecretName, ResolvedSecret> {
  const secrets = new Map<SecretName, ResolvedSecret>();
  for (const name of SECRET_NAMES) {
    const definition = SECRETS[name];
    const fromEnvironment = environmentValue(environment, definition.variable);
    if (fromEnvironment !== undefined) secrets.set(name, { value: fromEnvironment, origin: 'environment' });

    const fromDirectory = readSecretFile(join(secretsDir, name));
    if (fromDirectory.found && fromDirectory.value !== '') {
      secrets.set(name, { value: fromDirectory.value, origin: 'secrets-dir' });
    } else if (!fromDirectory.found && !fromDirectory.missing) {
      problems.add(name, fromDirectory.reason);
    }

    const filePath = environmentValue(environment, definition.fileVariable)?.trim();
    if (filePath === undefined) continue;
    const fromFileVariable = readSecretFile(filePath);
    if (!fromFileVariable.found) {
      problems.add(
        definition.fileVariable,
        fromFileVariable.missing
          ? `names the file ${filePath}, which does not exist`
          : fromFileVariable.reason,
      );
    } else if (fromFileVariable.value === '') {
      problems.add(definition.fileVariable, `names the file ${filePath}, which is empty`);
    } else {
      secrets.set(name, { value: fromFileVariable.value, origin: 'file-variable' });
    }
  }
  return secrets;
}

/** Layer 5's last source: values from Vault win over every local source. */
export function withVaultSecrets(
  local: ReadonlyMap<SecretName, ResolvedSecret>,
  vault: ReadonlyMap<SecretName, string>,
): ResolvedSecrets {
  const merged = new Map(local);
  for (const [name, value] of vault) merged.set(name, { value, origin: 'vault' });
  return merged;
}
