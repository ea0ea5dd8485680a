import type { Redis } from '@xorb/redis';

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** INCR the window's counter, start its expiry on the first hit, and return count and TTL atomically. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}
`;

/**
 * Fixed-window limits kept in Redis, so every API process and replica shares
 * them. A subject is "api_key:<id>", "user:<id>" or "ip:<address>".
 */
export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  get policy(): string {
    return `${this.limit};w=${this.windowSeconds}`;
  }

  async hit(subject: string): Promise<RateLimitVerdict> {
    const window = Math.floor(Date.now() / 1000 / this.windowSeconds);
    const key = `${this.keyPrefix}:ratelimit:${subject}:${window}`;
    const [count, ttlMs] = (await this.redis.eval(HIT_SCRIPT, 1, key, String(this.windowSeconds * 1000))) as [
      number,
      number,
    ];
    const resetSeconds = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : this.windowSeconds * 1000) / 1000));
    return {
      allowed: count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - count),
      resetSeconds,
    };
  }
}
