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
  const sentinels = settings.read('REDIS_SENTINELS').map((node) => node.address);
  const clusterNodes = settings.read('REDIS_CLUSTER_NODES').map((node) => node.address);
  if (sentinels.length > 0 && clusterNodes.length > 0) {
    context.problems.add(
      'REDIS_CLUSTER_NODES',
      'cannot be combined with REDIS_SENTINELS: choose Sentinel or Cluster',
    );
  }
  const config: RedisConfig = {
    url,
    keyPrefix: settings.read('REDIS_KEY_PREFIX'),
    sentinels,
    sentinelMaster: settings.read('REDIS_SENTINEL_MASTER'),
    clusterNodes,
    getPassword: () => password,
    getUrl(): string {
      if (password === undefined) return url;
      const withPassword = new URL(url);
      withPassword.password = encodeURIComponent(password);
      return withPassword.toString();
    },
  };
  return { config, password };
}
