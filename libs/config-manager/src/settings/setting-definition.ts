import { type Parser } from '../parsing/parse-result';
import { type XorbEnv } from '../xorb-env';
import { type SectionName } from './section-name';

/** One configuration variable: where it belongs, how it is parsed, its default and per-environment profile. */
export interface SettingDefinition<T> {
  section: SectionName;
  description: string;
  parse: Parser<T>;
  /** Layer 1: the built-in default (valid by construction). */
  default?: string;
  /** Layer 2: what the XORB_ENV profile sets, over the default. */
  profiles?: Partial<Record<XorbEnv, string>>;
  /** Accepts a JSON array in XORB_CONFIG_FILE (joined with commas). */
  list?: boolean;
  /** The value may embed a password: it is never quoted in any message. */
  sensitiveValue?: boolean;
  /** Read from the process environment only, never from XORB_CONFIG_FILE. */
  environmentOnly?: boolean;
}

/** The parsed type of a setting: never undefined when the setting has a default. */
export type SettingValue<S> =
  S extends SettingDefinition<infer T> ? (S extends { default: string } ? T : T | undefined) : never;
