import { describe, expect, it } from 'vitest';
import { nextRetryDelay } from './retry-delay';

/** A small seeded PRNG (mulberry32), so the jitter runs are reproducible. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('nextRetryDelay', () => {
  it('doubles from baseMs up to maxMs without jitter', () => {
    const ceilings = Array.from({ length: 14 }, (_, index) => nextRetryDelay(index + 1, { jitter: 'none' }));
    expect(ceilings.slice(0, 5)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(ceilings[10]).toBe(3_600_000);
    expect(ceilings.at(-1)).toBe(3_600_000);
  });

  it('has upper bounds that never decrease, and never exceed maxMs, even for huge attempts', () => {
    let previous = 0;
    for (let attempt = 1; attempt <= 2_000; attempt += 1) {
      const ceiling = nextRetryDelay(attempt, { jitter: 'none' });
      expect(ceiling).toBeGreaterThanOrEqual(previous);
      expect(ceiling).toBeLessThanOrEqual(3_600_000);
      previous = ceiling;
    }
    expect(nextRetryDelay(Number.MAX_SAFE_INTEGER, { jitter: 'none' })).toBe(3_600_000);
  });

  it('spreads full jitter over [0, ceiling]', () => {
    const random = seeded(42);
    for (let attempt = 1; attempt <= 15; attempt += 1) {
      const ceiling = Math.min(3_600_000, 5_000 * 2 ** (attempt - 1));
      const delays = Array.from({ length: 200 }, () => nextRetryDelay(attempt, { random }));
      for (const delay of delays) {
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
      // Spread out, not bunched at the ceiling: some in the lower and some in the upper half.
      expect(delays.some((delay) => delay < ceiling / 2)).toBe(true);
      expect(delays.some((delay) => delay > ceiling / 2)).toBe(true);
    }
  });

  it('maps the random source straight onto the range', () => {
    expect(nextRetryDelay(3, { random: () => 0 })).toBe(0);
    expect(nextRetryDelay(3, { random: () => 0.5 })).toBe(10_000);
    expect(nextRetryDelay(3, { random: () => 0.999_999 })).toBe(19_999);
    expect(nextRetryDelay(2, { baseMs: 1_000, maxMs: 1_500, random: () => 0.5 })).toBe(750);
  });

  it('waits at least the Retry-After, capped at maxMs', () => {
    expect(nextRetryDelay(1, { random: () => 0, retryAfterMs: 60_000 })).toBe(60_000);
    expect(nextRetryDelay(1, { random: () => 0.9, retryAfterMs: 1_000 })).toBe(4_500);
    expect(nextRetryDelay(12, { random: () => 0.1, retryAfterMs: 7_000 })).toBe(360_000);
    expect(nextRetryDelay(1, { random: () => 0, retryAfterMs: 86_400_000 })).toBe(3_600_000);
    expect(nextRetryDelay(1, { random: () => 0, retryAfterMs: 86_400_000, maxMs: 600_000 })).toBe(600_000);
    expect(nextRetryDelay(1, { random: () => 0, retryAfterMs: -5 })).toBe(0);
  });

  it('refuses nonsense', () => {
    expect(() => nextRetryDelay(0)).toThrow(RangeError);
    expect(() => nextRetryDelay(1.5)).toThrow(RangeError);
    expect(() => nextRetryDelay(1, { baseMs: -1 })).toThrow(RangeError);
    expect(() => nextRetryDelay(1, { maxMs: Number.NaN })).toThrow(RangeError);
  });
});
