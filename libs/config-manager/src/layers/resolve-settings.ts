import { SETTINGS, SETTING_NAMES, type SettingName } from '../settings/catalog';
import { type SettingDefinition } from '../settings/setting-definition';
import { type XorbEnv } from '../xorb-env';
import { environmentValue } from './environment-value';
import { type ResolvedSetting } from './setting-origin';

export type ResolvedSettings = ReadonlyMap<SettingName, ResolvedSetting>;

/** The raw text each layer gives a setting, before parsing: default, then profile, then the file. */
export function layeredDefault(name: SettingName, env: XorbEnv): ResolvedSetting | undefined {
  const definition: SettingDefinition<unknown> = SETTINGS[name];
  const profileValue = definition.profiles?.[env];
  if (profileValue !== undefined) return { value: profileValue, origin: 'profile' };
  return definition.default === undefined ? undefined : { value: definition.default, origin: 'default' };
}

/**
 * Layers 1 to 4, each overriding the one before: built-in default, XORB_ENV profile,
 * XORB_CONFIG_FILE, environment variables.
 */
export function resolveSettings(
  env: XorbEnv,
  fileValues: ReadonlyMap<string, string>,
  environment: Record<string, string | undefined>,
): ResolvedSettings {
  const resolved = new Map<SettingName, ResolvedSetting>();
  for (const name of SETTING_NAMES) {
    const definition: SettingDefinition<unknown> = SETTINGS[name];
    let setting = layeredDefault(name, env);
    const fileValue = definition.environmentOnly ? undefined : fileValues.get(name);
    if (fileValue !== undefined) setting = { value: fileValue, origin: 'config-file' };
    const environmentText = environmentValue(environment, name);
    if (environmentText !== undefined) setting = { value: environmentText, origin: 'environment' };
    if (setting) resolved.set(name, setting);
  }
  return resolved;
}
