import { XORB_ENVS, isHardenedEnv, type XorbEnv } from '../xorb-env';
import { layeredDefault } from '../layers/resolve-settings';
import { SETTINGS, SETTING_NAMES } from './catalog';
import { SECRETS, SECRET_NAMES } from './secret-catalog';
import { type SecretDefinition } from './secret-catalog';
import { type SectionName } from './section-name';
import { type SettingDefinition } from './setting-definition';

export interface SettingDescription {
  /** The environment variable (for a secret: the variable that may hold it directly). */
  variable: string;
  section: SectionName;
  description: string;
  secret: boolean;
  /** Default per environment (profile applied); for secrets, the development-only fallback. */
  defaults: Record<XorbEnv, string | undefined>;
  /** Secrets only: the Docker secret name, also the key in Vault. */
  secretName?: string;
  /** Secrets only: the variable naming a file that holds the secret. */
  fileVariable?: string;
  /** Secrets only: required in staging and production. */
  requiredWhenHardened?: boolean;
  /** May be set in XORB_CONFIG_FILE (secrets and loader variables may not). */
  allowedInConfigFile: boolean;
}

function describeSetting(variable: (typeof SETTING_NAMES)[number]): SettingDescription {
  const definition: SettingDefinition<unknown> = SETTINGS[variable];
  const defaults = Object.fromEntries(
    XORB_ENVS.map((env) => [env, layeredDefault(variable, env)?.value]),
  ) as Record<XorbEnv, string | undefined>;
  return Object.freeze({
    variable,
    section: definition.section,
    description: definition.description,
    secret: false,
    defaults: Object.freeze(defaults),
    allowedInConfigFile: definition.environmentOnly !== true,
  });
}

function describeSecret(name: (typeof SECRET_NAMES)[number]): SettingDescription {
  const definition: SecretDefinition = SECRETS[name];
  const defaults = Object.fromEntries(
    XORB_ENVS.map((env) => [env, isHardenedEnv(env) ? undefined : definition.developmentFallback]),
  ) as Record<XorbEnv, string | undefined>;
  return Object.freeze({
    variable: definition.variable,
    section: definition.section,
    description: definition.description,
    secret: true,
    defaults: Object.freeze(defaults),
    secretName: name,
    fileVariable: definition.fileVariable,
    requiredWhenHardened: definition.requiredWhenHardened,
    allowedInConfigFile: false,
  });
}

const DESCRIPTIONS: ReadonlyArray<SettingDescription> = Object.freeze([
  ...SETTING_NAMES.map(describeSetting),
  ...SECRET_NAMES.map(describeSecret),
]);

/** Every configuration variable and every secret, with its defaults per environment. */
export function listSettings(): ReadonlyArray<SettingDescription> {
  return DESCRIPTIONS;
}
