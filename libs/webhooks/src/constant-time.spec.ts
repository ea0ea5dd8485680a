import type * as Crypto from 'node:crypto';
import { timingSafeEqual } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { WEBHOOK_HEADERS } from './headers';
import { signPayload } from './sign-payload';
import { verifySignature } from './verify-signature';

// A pass-through spy on Node's own comparison: it still compares, and we see that it was used.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

describe('signature comparison', () => {
  it('goes through crypto.timingSafeEqual on full-length digests', () => {
    const spy = vi.mocked(timingSafeEqual);
    const headers = signPayload({ secret: 'whsec_a', id: 'id-1', timestamp: 1_700_000_000, body: '{}' });
    const now = new Date(1_700_000_000_000);

    spy.mockClear();
    expect(verifySignature({ secrets: ['whsec_a'], headers, body: '{}', now }).ok).toBe(true);
    expect(spy).toHaveBeenCalled();

    spy.mockClear();
    const wrong = { ...headers, [WEBHOOK_HEADERS.signature]: `v1=${'f'.repeat(64)}` };
    expect(verifySignature({ secrets: ['whsec_a', 'whsec_b'], headers: wrong, body: '{}', now }).ok).toBe(
      false,
    );
    // One comparison per secret and candidate, each on 32-byte buffers: no early string compare.
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [left, right] of spy.mock.calls) {
      expect((left as Buffer).length).toBe(32);
      expect((right as Buffer).length).toBe(32);
    }
  });
});
