export {
  closeRedis,
  createRedisConnection,
  redisReadiness,
  type Redis,
  type RedisConnectionOptions,
} from './connection';
