import { type ProblemList } from '../config-error';
import { type ResolvedSecrets } from '../layers/resolve-secrets';
import { SECRETS, type SecretName } from '../settings/secret-catalog';
import { type SecretDefinition } from '../settings/secret-catalog';
import { isHardenedEnv, type XorbEnv } from '../xorb-env';
import { type SettingReader } from './setting-reader';

/** What every section builder reads from. */
export interface BuildContext {
  env: XorbEnv;
  settings: SettingReader;
  secrets: ResolvedSecrets;
  problems: ProblemList;
}

/** A secret someone provided (variable, secrets dir, *_FILE or Vault), if any. */
export function providedSecret(context: BuildContext, name: SecretName): string | undefined {
  return context.secrets.get(name)?.value;
}

/** The documented development-only value, in development and test only. */
export function developmentFallback(env: XorbEnv, name: SecretName): string | undefined {
  const definition: SecretDefinition = SECRETS[name];
  return isHardenedEnv(env) ? undefined : definition.developmentFallback;
}

/** Defines a property that holds a secret: readable, but not enumerable, so JSON and inspection skip it. */
export function defineSecretProperty<T extends object>(target: T, key: string, value: string | undefined): T {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: false });
  return target;
}
