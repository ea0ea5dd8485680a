import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closestName } from '../closest-name';
import { type ProblemList } from '../config-error';
import { SETTINGS, SETTING_NAMES, isSettingName } from '../settings/catalog';
import { SECRETS, SECRET_NAMES } from '../settings/secret-catalog';
import { type SettingDefinition } from '../settings/setting-definition';

const VARIABLE = 'XORB_CONFIG_FILE';
const FILE_SETTINGS = SETTING_NAMES.filter(
  (name) => !(SETTINGS[name] as SettingDefinition<unknown>).environmentOnly,
);
const SECRET_VARIABLES = new Set<string>(
  SECRET_NAMES.flatMap((name) => [SECRETS[name].variable, SECRETS[name].fileVariable]),
);

/** Where JSON.parse stopped, without quoting the text (the file may hold something secret). */
function jsonErrorPosition(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line \d+ column \d+/.exec(message);
  if (lineColumn) return ` at ${lineColumn[0]}`;
  const position = /position \d+/.exec(message);
  return position ? ` at ${position[0]}` : '';
}

function toText(value: unknown, isList: boolean): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (
    isList &&
    Array.isArray(value) &&
    value.every((entry) => typeof entry === 'string' || typeof entry === 'number')
  ) {
    return value.join(',');
  }
  return undefined;
}

function refusalForKey(key: string): string | undefined {
  if (SECRET_VARIABLES.has(key)) {
    return `the secret ${key} is never read from a config file: use a Docker secret, a *_FILE variable or Vault`;
  }
  if (!isSettingName(key)) {
    const suggestion = closestName(key, FILE_SETTINGS);
    return `unknown setting "${key}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
  }
  if ((SETTINGS[key] as SettingDefinition<unknown>).environmentOnly) {
    return `${key} can only be set in the environment`;
  }
  return undefined;
}

/**
 * Layer 3: the optional JSON file named by XORB_CONFIG_FILE, an object of VARIABLE → value
 * (string, number, boolean, or an array for list settings). Every problem names XORB_CONFIG_FILE.
 */
export function readConfigFile(path: string, problems: ProblemList): Map<string, string> {
  const values = new Map<string, string>();
  const absolutePath = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    problems.add(VARIABLE, `cannot read ${absolutePath} (${code})`);
    return values;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    problems.add(VARIABLE, `${absolutePath} is not valid JSON${jsonErrorPosition(error)}`);
    return values;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    problems.add(VARIABLE, `${absolutePath} must contain a JSON object of VARIABLE: value pairs`);
    return values;
  }
  for (const [key, value] of Object.entries(document)) {
    const refusal = refusalForKey(key);
    if (refusal) {
      problems.add(VARIABLE, `${refusal} in ${absolutePath}`);
      continue;
    }
    const definition: SettingDefinition<unknown> = SETTINGS[key as keyof typeof SETTINGS];
    const valueText = toText(value, definition.list === true);
    if (valueText === undefined) {
      const expected = definition.list ? 'a string, number, boolean or array' : 'a string, number or boolean';
      problems.add(VARIABLE, `${key} in ${absolutePath} must be ${expected}`);
      continue;
    }
    values.set(key, valueText);
  }
  return values;
}
