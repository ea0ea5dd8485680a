import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { XorbConfig } from '@xorb/config-manager';
import type { DependencyCheck, Logger } from '@xorb/observability';

/** A single Redis, a Sentinel-managed master, or a Cluster: ioredis gives them one interface. */
export type { Redis };

export interface RedisConnectionOptions {
  /** Shown in CLIENT LIST, so operators can tell the connections apart. */
  connectionName: string;
  logger: Logger;
  /**
   * BullMQ workers block on Redis and must retry forever; request-path clients
   * should fail fast instead. See BullMQ's "going to production" notes.
   */
  blocking?: boolean;
}

/**
 * The one way to open a Redis connection, from config-manager's redis section:
 * REDIS_CLUSTER_NODES gives a Cluster client, REDIS_SENTINELS a Sentinel-managed
 * master, and otherwise REDIS_URL. BullMQ and the rate limiter use it as is.
 */
export function createRedisConnection(redis: XorbConfig['redis'], options: RedisConnectionOptions): Redis {
  const common: RedisOptions = {
    connectionName: options.connectionName,
    // Commands wait for a (re)connection; request-path ones give up after 3 retries instead of hanging.
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  };
  let connection: Redis;
  if (redis.clusterNodes.length > 0) {
    const clusterOptions: ClusterOptions = {
      redisOptions: { ...common, password: redis.getPassword() },
      enableOfflineQueue: true,
      clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    };
    // A Cluster speaks the same commands; BullMQ accepts it where it takes a Redis.
    connection = new Cluster(redis.clusterNodes.map(hostAndPort), clusterOptions) as unknown as Redis;
  } else if (redis.sentinels.length > 0) {
    connection = new Redis({
      ...common,
      sentinels: redis.sentinels.map(hostAndPort),
      name: redis.sentinelMaster,
      password: redis.getPassword(),
      sentinelPassword: redis.getPassword(),
    });
  } else {
    connection = new Redis(redis.getUrl(), common);
  }
  let lastError = '';
  connection.on('error', (error: Error) => {
    // ioredis retries on its own; log each distinct failure once rather than on every retry.
    if (error.message !== lastError)
      options.logger.warn(
        { error: error.message, connection: options.connectionName },
        'Redis connection error',
      );
    lastError = error.message;
  });
  connection.on('ready', () => {
    lastError = '';
  });
  return connection;
}

function hostAndPort(address: string): { host: string; port: number } {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator).replace(/^\[|\]$/g, '');
  return { host, port: Number(address.slice(separator + 1)) };
}

export function redisReadiness(connection: Redis): DependencyCheck {
  return {
    name: 'redis',
    async check() {
      if (connection.status !== 'ready') throw new Error(`connection is ${connection.status}`);
      const answer = await connection.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
    },
  };
}

/** QUIT politely when connected; drop the socket when Redis is unreachable. */
export async function closeRedis(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    await connection.quit();
    return;
  }
  connection.disconnect();
}
