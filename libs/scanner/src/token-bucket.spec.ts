import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

/** Whether `promise` settles before the event loop gets to run a timer or an I/O callback. */
async function beforeAnyTimer(promise: Promise<unknown>): Promise<boolean> {
  const timer = new Promise<false>((resolve) => setImmediate(() => resolve(false)));
  return Promise.race([promise.then(() => true as const), timer]);
}

describe('TokenBucket', () => {
  it('spaces takes evenly at the configured rate', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 50 });
    const times: number[] = [];
    const start = performance.now();
    expect(await beforeAnyTimer(bucket.take())).toBe(true);
    for (let i = 0; i < 5; i += 1) {
      await bucket.take();
      times.push(performance.now() - start);
    }
    // 5 intervals of 20 ms after the first token; timers never fire early.
    expect(times[4]).toBeGreaterThanOrEqual(5 * 20 - 2);
  });

  it('serves concurrent waiters in order and never more than burst + rate × t', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 40, burst: 3 });
    const start = performance.now();
    const takes = Array.from({ length: 8 }, () => bucket.take().then(() => performance.now() - start));
    // The burst is handed out without waiting on a timer.
    expect(await beforeAnyTimer(Promise.all(takes.slice(0, 3)))).toBe(true);
    const times = await Promise.all(takes);
    for (let i = 3; i < times.length; i += 1) expect(times[i]).toBeGreaterThanOrEqual((i - 2) * 25 - 2);
    expect([...times]).toEqual([...times].sort((a, b) => a - b));
  });

  it('rejects with the abort reason while waiting', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 1 });
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    const started = performance.now();
    await expect(waiting).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('validates its options', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => new TokenBucket({ ratePerSecond: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
