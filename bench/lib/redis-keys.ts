import type { Redis } from 'ioredis';

/** Removes this run's keys under one BullMQ prefix (bounded SCAN, never a pattern wider than the prefix). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  if (!prefix.startsWith('{xorb-bench-'))
    throw new Error(`refusing to delete keys outside the bench's prefixes: ${prefix}`);
  let cursor = '0';
  for (let page = 0; page < 1_000; page += 1) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
    if (cursor === '0') return;
  }
}
