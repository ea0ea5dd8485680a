import { type ProblemList } from '../config-error';
import { redactUrl } from '../redact-url';
import { layeredDefault, type ResolvedSettings } from '../layers/resolve-settings';
import { type ResolvedSetting } from '../layers/setting-origin';
import { SETTINGS, type SettingName, type Settings } from '../settings/catalog';
import { type SettingDefinition, type SettingValue } from '../settings/setting-definition';
import { type XorbEnv } from '../xorb-env';

const SHOWN_VALUE_LENGTH = 80;

/**
 * Parses resolved settings into typed values. A bad value becomes a problem naming the variable,
 * the reason, the value (unless it may hold a password) and where it was set; reading then goes on
 * with the default so that every other problem is found too.
 */
export class SettingReader {
  private readonly cache = new Map<SettingName, unknown>();

  constructor(
    private readonly env: XorbEnv,
    private readonly resolved: ResolvedSettings,
    private readonly problems: ProblemList,
    private readonly configFilePath: string | undefined,
  ) {}

  /** Whether a value was set in the config file or the environment (not a default or profile value). */
  isExplicit(name: SettingName): boolean {
    const origin = this.resolved.get(name)?.origin;
    return origin === 'config-file' || origin === 'environment';
  }

  read<K extends SettingName>(name: K): SettingValue<Settings[K]> {
    if (!this.cache.has(name)) this.cache.set(name, this.parse(name));
    return this.cache.get(name) as SettingValue<Settings[K]>;
  }

  private parse(name: SettingName): unknown {
    const definition: SettingDefinition<unknown> = SETTINGS[name];
    const setting = this.resolved.get(name);
    if (!setting) return undefined;
    const result = definition.parse(setting.value);
    if (result.ok) return result.value;

    this.problems.add(name, this.describe(definition, setting, result.reason, result.namesValue === true));
    const fallback = layeredDefault(name, this.env);
    if (!fallback) return undefined;
    const fallbackResult = definition.parse(fallback.value);
    if (!fallbackResult.ok) throw new Error(`built-in value of ${name} is invalid: ${fallbackResult.reason}`);
    return fallbackResult.value;
  }

  private describe(
    definition: SettingDefinition<unknown>,
    setting: ResolvedSetting,
    reason: string,
    namesValue: boolean,
  ): string {
    const where =
      setting.origin === 'config-file'
        ? `in XORB_CONFIG_FILE ${this.configFilePath ?? ''}`.trim()
        : `in the ${setting.origin}`;
    if (definition.sensitiveValue)
      return `${reason} (value set ${where} not shown: it may contain a password)`;
    if (namesValue) return `${reason} (set ${where})`;
    // A URL-valued setting may carry credentials: its password is redacted before it is shown.
    const value = redactUrl(setting.value);
    const shown = value.length > SHOWN_VALUE_LENGTH ? `${value.slice(0, SHOWN_VALUE_LENGTH)}…` : value;
    return `${reason} (got ${JSON.stringify(shown)} ${where})`;
  }
}
