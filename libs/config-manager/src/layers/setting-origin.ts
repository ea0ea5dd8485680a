/** Which layer a setting's value came from. */
export type SettingOrigin = 'default' | 'profile' | 'config-file' | 'environment';

export interface ResolvedSetting {
  value: string;
  origin: SettingOrigin;
}
