import { abortableDelay } from './abortable-delay';

export interface TokenBucketOptions {
  /** Sustained rate: tokens added per second. */
  ratePerSecond: number;
  /** How many tokens may be taken back to back after an idle period. Default 1 (evenly spaced). */
  burst?: number;
}

/**
 * A token bucket, kept as a "theoretical arrival time" (the GCRA form): each take
 * reserves the next slot, so waiters are served in the order they asked, and
 * no more than `burst + ratePerSecond * t` tokens are handed out in any window t.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private nextSlot = Number.NEGATIVE_INFINITY;

  constructor({ ratePerSecond, burst = 1 }: TokenBucketOptions) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
      throw new RangeError('ratePerSecond must be a positive finite number');
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError('burst must be a positive integer');
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /** Waits for a token. Rejects with the signal's reason if it aborts first (the slot is then forfeited). */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = performance.now();
    const slot = Math.max(this.nextSlot, now);
    this.nextSlot = slot + this.intervalMs;
    const wait = slot - this.toleranceMs - now;
    if (wait > 0) await abortableDelay(wait, signal);
  }
}
