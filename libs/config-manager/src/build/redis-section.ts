import { type RedisConfig } from '../config-types';
import { hostForAddress } from '../parsing/parse-host';
import { providedSecret, type BuildContext } from './build-context';

export interface RedisSection {
  config: RedisConfig;
  password: string | undefined;
}

/**
 * REDIS_URL, or redis://REDIS_HOST:REDIS_PORT. `url` never holds the password; `getUrl()` adds the
 * redis_password secret (or the password that was in REDIS_URL).
 */
export function buildRedisConfig(context: BuildContext): RedisSection {
  const { settings } = context;
  const fromUrl = settings.read('REDIS_URL');
  const url =
    fromUrl?.urlWithoutPassword ??
    `redis://${hostForAddress(settings.read('REDIS_HOST'))}:${settings.read('REDIS_PORT')}`;
  const password = providedSecret(context, 'redis_password') ?? fromUrl?.password;
  const config: RedisConfig = {
    url,
    keyPrefix: settings.read('REDIS_KEY_PREFIX'),
    getUrl(): string {
      if (password === undefined) return url;
      const withPassword = new URL(url);
      withPassword.password = encodeURIComponent(password);
      return withPassword.toString();
    },
  };
  return { config, password };
}
