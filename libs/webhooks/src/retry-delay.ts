export interface RetryDelayOptions {
  /** The ceiling of the first retry's delay. */
  baseMs?: number;
  /** No delay is ever longer, Retry-After included. */
  maxMs?: number;
  /** 'full': uniform in [0, ceiling] (AWS "full jitter"); 'none': the ceiling itself. */
  jitter?: 'full' | 'none';
  /** What the receiver asked for (DeliveryResult.retryAfterMs): the delay is never shorter, up to maxMs. */
  retryAfterMs?: number;
  /** A source of numbers in [0, 1); inject one for tests. */
  random?: () => number;
}

/**
 * How long to wait before retry number `attempt` (1 for the first retry): exponential
 * backoff, min(maxMs, baseMs * 2^(attempt-1)), with full jitter, and at least the
 * receiver's Retry-After, all capped at maxMs. Whole milliseconds.
 */
export function nextRetryDelay(attempt: number, options: RetryDelayOptions = {}): number {
  const { baseMs = 5_000, maxMs = 3_600_000, jitter = 'full', retryAfterMs, random = Math.random } = options;
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt is a whole number from 1');
  if (!(baseMs >= 0) || !(maxMs >= 0)) throw new RangeError('baseMs and maxMs must be non-negative');
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 64));
  const jittered = jitter === 'full' ? Math.min(1, Math.max(0, random())) * ceiling : ceiling;
  const requested = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : 0;
  return Math.floor(Math.min(maxMs, Math.max(jittered, requested)));
}
