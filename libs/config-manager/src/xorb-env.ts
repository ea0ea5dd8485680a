/** The environments a XORB process can run in (`XORB_ENV`). */
export type XorbEnv = 'development' | 'staging' | 'production' | 'test';

export const XORB_ENVS: readonly XorbEnv[] = ['development', 'staging', 'production', 'test'];

export const DEFAULT_XORB_ENV: XorbEnv = 'development';

export function isXorbEnv(value: string): value is XorbEnv {
  return (XORB_ENVS as readonly string[]).includes(value);
}

/** Staging and production are hardened: secrets are required and development-only settings are refused. */
export function isHardenedEnv(env: XorbEnv): boolean {
  return env === 'staging' || env === 'production';
}
