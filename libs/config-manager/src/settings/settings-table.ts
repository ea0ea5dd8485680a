import { XORB_ENVS, type XorbEnv } from '../xorb-env';
import { listSettings, type SettingDescription } from './list-settings';

function code(value: string | undefined): string {
  return value === undefined || value === '' ? '—' : `\`${value.replace(/,/g, ', ')}\``;
}

/** One default for all environments, or the environments grouped by value. */
function describeDefaults(defaults: Record<XorbEnv, string | undefined>): string {
  const groups = new Map<string | undefined, XorbEnv[]>();
  for (const env of XORB_ENVS) groups.set(defaults[env], [...(groups.get(defaults[env]) ?? []), env]);
  if (groups.size === 1) return code(defaults.development);
  return [...groups].map(([value, envs]) => `${envs.join(', ')}: ${code(value)}`).join('<br>');
}

function describeVariable(setting: SettingDescription): string {
  if (!setting.secret) return `\`${setting.variable}\``;
  const required = setting.requiredWhenHardened ? ' (required in staging/production)' : '';
  return `secret \`${setting.secretName}\`${required}<br>\`${setting.fileVariable}\`, \`${setting.variable}\``;
}

/** The README's configuration table, generated from listSettings(). */
export function renderSettingsTable(): string {
  const rows = listSettings().map(
    (setting) =>
      `| ${describeVariable(setting)} | ${setting.section} | ${describeDefaults(setting.defaults)} | ${setting.description} |`,
  );
  return ['| Variable | Section | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
