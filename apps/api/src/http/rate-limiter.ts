import type { Redis } from '@xorb/redis';

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** INCR the window's counter, start its expiry on the first hit, and return count and TTL atomically. */
export const RATE_LIMIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}
`;

/** The command defineCommand adds to the connection: EVALSHA, and EVAL (which loads it) on NOSCRIPT. */
const COMMAND = 'xorbRateLimitHit';

type WithHitCommand = Redis & {
  [COMMAND](key: string, windowMs: string): Promise<[number, number]>;
};

/**
 * Fixed-window limits kept in Redis, so every API process and replica shares
 * them. A subject is "api_key:<id>", "user:<id>" or "ip:<address>".
 *
 * The script is defined once on the connection (ioredis defineCommand), so each
 * hit sends only its SHA1 (EVALSHA); when Redis no longer has it (a restart, a
 * failover, SCRIPT FLUSH) the answer is NOSCRIPT and ioredis sends the script
 * with EVAL, which loads it again.
 */
export class RedisRateLimiter {
  private readonly redis: WithHitCommand;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    readonly limit: number,
    private readonly windowSeconds: number,
  ) {
    if (typeof (redis as unknown as Partial<WithHitCommand>)[COMMAND] !== 'function')
      redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: RATE_LIMIT_SCRIPT });
    this.redis = redis as unknown as WithHitCommand;
  }

  get policy(): string {
    return `${this.limit};w=${this.windowSeconds}`;
  }

  async hit(subject: string): Promise<RateLimitVerdict> {
    const window = Math.floor(Date.now() / 1000 / this.windowSeconds);
    const key = `${this.keyPrefix}:ratelimit:${subject}:${window}`;
    const [count, ttlMs] = await this.redis[COMMAND](key, String(this.windowSeconds * 1000));
    const resetSeconds = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : this.windowSeconds * 1000) / 1000));
    return {
      allowed: count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - count),
      resetSeconds,
    };
  }
}
