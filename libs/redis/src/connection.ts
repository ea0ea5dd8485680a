import { Redis } from 'ioredis';
import type { XorbConfig } from '@xorb/config-manager';
import type { DependencyCheck, Logger } from '@xorb/observability';

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

/** The one way to open a Redis connection: from config-manager's redis section. */
export function createRedisConnection(redis: XorbConfig['redis'], options: RedisConnectionOptions): Redis {
  const connection = new Redis(redis.getUrl(), {
    connectionName: options.connectionName,
    // Commands wait for a (re)connection; request-path ones give up after 3 retries instead of hanging.
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
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
