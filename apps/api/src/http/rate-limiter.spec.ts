import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '@xorb/testing';
import { RATE_LIMIT_SCRIPT, RedisRateLimiter } from './rate-limiter';

/**
 * How the limiter's commands reached Redis (EVAL, EVALSHA, SCRIPT …), as MONITOR reports them for keys
 * under `prefix`; the INCR/PTTL the script itself runs are left out.
 */
async function watch(url: string, prefix: string) {
  const monitor = await new Redis(url).monitor();
  const seen: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    const name = String(args[0] ?? '').toLowerCase();
    if (['eval', 'evalsha', 'script'].includes(name) && args.some((arg) => String(arg).includes(prefix)))
      seen.push(name);
  });
  return {
    commands: () => [...seen],
    /** MONITOR trails the replies a little: wait until `count` commands were seen. */
    async settle(count: number) {
      for (let attempt = 0; attempt < 100 && seen.length < count; attempt += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
    },
    close: () => monitor.disconnect(),
  };
}

describe('RedisRateLimiter against real Redis', () => {
  const url = testServices().redisUrl;
  let redis: Redis;
  let admin: Redis;

  beforeAll(() => {
    redis = new Redis(url);
    admin = new Redis(url);
  });
  afterAll(() => {
    redis?.disconnect();
    admin?.disconnect();
  });

  it('counts hits per subject and window, and refuses past the limit', async () => {
    const prefix = `xorb-rl-${randomUUID()}`;
    const limiter = new RedisRateLimiter(redis, prefix, 3, 60);
    const verdicts = [];
    for (let index = 0; index < 5; index += 1) verdicts.push(await limiter.hit('api_key:a'));
    expect(verdicts.map((verdict) => verdict.allowed)).toEqual([true, true, true, false, false]);
    expect(verdicts.map((verdict) => verdict.remaining)).toEqual([2, 1, 0, 0, 0]);
    for (const verdict of verdicts) {
      expect(verdict.resetSeconds).toBeGreaterThan(0);
      expect(verdict.resetSeconds).toBeLessThanOrEqual(60);
    }
    expect((await limiter.hit('api_key:b')).remaining).toBe(2);
    const keys = await admin.keys(`${prefix}:*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(await admin.pttl(key)).toBeGreaterThan(0);
    await admin.del(...keys);
  });

  it('sends the script by its SHA1 (EVALSHA), not its text', async () => {
    const prefix = `xorb-rl-${randomUUID()}`;
    const limiter = new RedisRateLimiter(redis, prefix, 100, 60);
    await limiter.hit('ip:warm-up');
    const monitor = await watch(url, prefix);
    try {
      for (let index = 0; index < 3; index += 1) await limiter.hit('ip:127.0.0.1');
      await monitor.settle(3);
      expect(monitor.commands()).toEqual(['evalsha', 'evalsha', 'evalsha']);
    } finally {
      monitor.close();
      await admin.del(...(await admin.keys(`${prefix}:*`)));
    }
  });

  it('keeps counting after SCRIPT FLUSH: NOSCRIPT, the script is sent again, then EVALSHA as before', async () => {
    const prefix = `xorb-rl-${randomUUID()}`;
    const limiter = new RedisRateLimiter(redis, prefix, 100, 60);
    expect((await limiter.hit('user:u')).remaining).toBe(99);
    expect((await limiter.hit('user:u')).remaining).toBe(98);
    const monitor = await watch(url, prefix);
    try {
      await admin.script('FLUSH');
      expect(await admin.script('EXISTS', scriptSha1())).toEqual([0]);
      expect((await limiter.hit('user:u')).remaining).toBe(97);
      expect((await limiter.hit('user:u')).remaining).toBe(96);
      await monitor.settle(3);
      // The first hit after the flush: EVALSHA answered NOSCRIPT, so the script itself went over
      // with EVAL (which loads it); the next hit is EVALSHA again.
      expect(monitor.commands()).toEqual(['evalsha', 'eval', 'evalsha']);
      expect(await admin.script('EXISTS', scriptSha1())).toEqual([1]);
    } finally {
      monitor.close();
      await admin.del(...(await admin.keys(`${prefix}:*`)));
    }
  });

  it('defines the command once however many limiters share the connection', async () => {
    const prefix = `xorb-rl-${randomUUID()}`;
    const first = new RedisRateLimiter(redis, prefix, 10, 60);
    const second = new RedisRateLimiter(redis, prefix, 10, 60);
    expect((await first.hit('ip:x')).remaining).toBe(9);
    expect((await second.hit('ip:x')).remaining).toBe(8);
    await admin.del(...(await admin.keys(`${prefix}:*`)));
  });
});

/** What EVALSHA sends: the SHA1 of the script's text. */
function scriptSha1(): string {
  return createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex');
}
