import { describe, expect, it } from 'vitest';
import { WEBHOOK_HEADERS } from './headers';
import { signPayload } from './sign-payload';
import { verifySignature } from './verify-signature';
import { generateWebhookSecret } from './webhook-secret';

const secret = generateWebhookSecret();
const body = JSON.stringify({
  event: 'scan.completed',
  data: { scanId: 'd7c1', findings: 3, note: 'café ✓' },
});
const timestamp = 1_767_225_600; // 2026-01-01T00:00:00Z
const now = new Date(timestamp * 1000);

function signed(overrides: Partial<Parameters<typeof signPayload>[0]> = {}) {
  return signPayload({ secret, id: 'f1d2c3b4-0000-4000-8000-000000000001', timestamp, body, ...overrides });
}

describe('signPayload', () => {
  it('produces the documented headers', () => {
    const headers = signed();
    expect(Object.keys(headers)).toEqual([
      'Xorb-Webhook-Id',
      'Xorb-Webhook-Timestamp',
      'Xorb-Webhook-Signature',
    ]);
    expect(headers[WEBHOOK_HEADERS.id]).toBe('f1d2c3b4-0000-4000-8000-000000000001');
    expect(headers[WEBHOOK_HEADERS.timestamp]).toBe(String(timestamp));
    expect(headers[WEBHOOK_HEADERS.signature]).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('matches a known answer computed independently (openssl dgst -sha256 -hmac)', () => {
    const headers = signPayload({
      secret: 'whsec_dGVzdC1zZWNyZXQtZm9yLWtub3duLWFuc3dlci10ZXN0cw',
      id: 'msg_1',
      timestamp: 1_700_000_000,
      body: '{"event":"scan.completed"}',
    });
    expect(headers[WEBHOOK_HEADERS.signature]).toBe(
      'v1=2cafe097a87f00def571640031bfd9f98791b6166d34b5a1d551fda959a7526e',
    );
  });

  it('signs with every secret during a rotation', () => {
    const next = generateWebhookSecret();
    const headers = signed({ secret: [secret, next] });
    const values = headers[WEBHOOK_HEADERS.signature].split(' ');
    expect(values).toHaveLength(2);
    expect(values[0]).toBe(signed()[WEBHOOK_HEADERS.signature]);
    expect(values[1]).toBe(signed({ secret: next })[WEBHOOK_HEADERS.signature]);
  });

  it('signs strings and their UTF-8 bytes alike', () => {
    expect(signed({ body: Buffer.from(body, 'utf8') })).toEqual(signed());
  });

  it('defaults the timestamp to now', () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = signPayload({ secret, id: 'x', body });
    expect(Number(headers[WEBHOOK_HEADERS.timestamp])).toBeGreaterThanOrEqual(before);
    expect(Number(headers[WEBHOOK_HEADERS.timestamp])).toBeLessThanOrEqual(before + 2);
  });

  it.each([
    ['an empty id', { id: '' }],
    ['an id with a dot', { id: 'a.1700000000' }],
    ['an id with a line break', { id: 'a\r\nX-Evil: 1' }],
    ['no secret', { secret: [] }],
    ['an empty secret', { secret: '' }],
    ['a fractional timestamp', { timestamp: 1.5 }],
  ])('refuses %s, without echoing the secret', (_label, overrides) => {
    expect(() => signed(overrides)).toThrow(TypeError);
    try {
      signed(overrides);
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });
});

describe('verifySignature', () => {
  it('accepts what signPayload signed', () => {
    expect(verifySignature({ secrets: [secret], headers: signed(), body, now })).toEqual({ ok: true });
  });

  it('reads headers case-insensitively, from plain objects and Fetch Headers', () => {
    const lower = Object.fromEntries(
      Object.entries(signed()).map(([name, value]) => [name.toLowerCase(), value]),
    );
    expect(verifySignature({ secrets: [secret], headers: lower, body, now }).ok).toBe(true);
    expect(verifySignature({ secrets: [secret], headers: new Headers(signed()), body, now }).ok).toBe(true);
  });

  it('verifies the raw bytes', () => {
    expect(verifySignature({ secrets: [secret], headers: signed(), body: Buffer.from(body), now }).ok).toBe(
      true,
    );
  });

  it('fails a tampered body', () => {
    const tampered = body.replace('"findings":3', '"findings":0');
    expect(verifySignature({ secrets: [secret], headers: signed(), body: tampered, now })).toEqual({
      ok: false,
      reason: 'no-matching-signature',
    });
    expect(verifySignature({ secrets: [secret], headers: signed(), body: `${body} `, now }).ok).toBe(false);
  });

  it('fails a tampered timestamp', () => {
    const headers = { ...signed(), [WEBHOOK_HEADERS.timestamp]: String(timestamp + 1) };
    expect(verifySignature({ secrets: [secret], headers, body, now })).toEqual({
      ok: false,
      reason: 'no-matching-signature',
    });
  });

  it('fails a tampered id', () => {
    const headers = { ...signed(), [WEBHOOK_HEADERS.id]: 'f1d2c3b4-0000-4000-8000-000000000002' };
    expect(verifySignature({ secrets: [secret], headers, body, now })).toEqual({
      ok: false,
      reason: 'no-matching-signature',
    });
  });

  it('fails the wrong secret', () => {
    expect(verifySignature({ secrets: [generateWebhookSecret()], headers: signed(), body, now }).ok).toBe(
      false,
    );
  });

  it('refuses stale and future timestamps beyond the tolerance', () => {
    const headers = signed();
    const at = (offsetSeconds: number, toleranceSeconds?: number) =>
      verifySignature({
        secrets: [secret],
        headers,
        body,
        now: new Date((timestamp + offsetSeconds) * 1000),
        toleranceSeconds,
      });
    expect(at(300)).toEqual({ ok: true });
    expect(at(301)).toEqual({ ok: false, reason: 'timestamp-too-old' });
    expect(at(86_400)).toEqual({ ok: false, reason: 'timestamp-too-old' });
    expect(at(-300)).toEqual({ ok: true });
    expect(at(-301)).toEqual({ ok: false, reason: 'timestamp-in-future' });
    expect(at(61, 60)).toEqual({ ok: false, reason: 'timestamp-too-old' });
    expect(at(59, 60)).toEqual({ ok: true });
  });

  it('checks the timestamp against the clock by default', () => {
    const fresh = signPayload({ secret, id: 'fresh', body });
    expect(verifySignature({ secrets: [secret], headers: fresh, body }).ok).toBe(true);
    expect(
      verifySignature({ secrets: [secret], headers: signed({ timestamp: 1_600_000_000 }), body }).ok,
    ).toBe(false);
  });

  it('accepts either secret while a secret is rotated', () => {
    const next = generateWebhookSecret();
    const both = signed({ secret: [secret, next] });
    expect(verifySignature({ secrets: [secret], headers: both, body, now }).ok).toBe(true);
    expect(verifySignature({ secrets: [next], headers: both, body, now }).ok).toBe(true);
    expect(verifySignature({ secrets: [generateWebhookSecret()], headers: both, body, now }).ok).toBe(false);
    // The receiver's side of a rotation: it accepts old and new while the sender switches.
    expect(verifySignature({ secrets: [next, secret], headers: signed(), body, now }).ok).toBe(true);
  });

  it('ignores unknown schemes and malformed values but still finds a good v1', () => {
    const good = signed()[WEBHOOK_HEADERS.signature];
    const headers = {
      ...signed(),
      [WEBHOOK_HEADERS.signature]: `v2=abc v1=nothex v1=${'0'.repeat(64)}  ${good}`,
    };
    expect(verifySignature({ secrets: [secret], headers, body, now }).ok).toBe(true);
    const noV1 = { ...signed(), [WEBHOOK_HEADERS.signature]: good.replace('v1=', 'v2=') };
    expect(verifySignature({ secrets: [secret], headers: noV1, body, now }).ok).toBe(false);
    const truncated = { ...signed(), [WEBHOOK_HEADERS.signature]: good.slice(0, -2) };
    expect(verifySignature({ secrets: [secret], headers: truncated, body, now }).ok).toBe(false);
  });

  it('combines a signature header sent twice', () => {
    const headers = {
      ...signed(),
      [WEBHOOK_HEADERS.signature]: [`v1=${'0'.repeat(64)}`, signed()[WEBHOOK_HEADERS.signature]],
    };
    expect(verifySignature({ secrets: [secret], headers, body, now }).ok).toBe(true);
  });

  it.each([
    ['missing-id', WEBHOOK_HEADERS.id],
    ['missing-timestamp', WEBHOOK_HEADERS.timestamp],
    ['missing-signature', WEBHOOK_HEADERS.signature],
  ])('reports %s', (reason, header) => {
    const headers = Object.fromEntries(Object.entries(signed()).filter(([name]) => name !== header));
    expect(verifySignature({ secrets: [secret], headers, body, now })).toEqual({ ok: false, reason });
  });

  it.each(['17e8', '-1', '1767225600.5', ' 1767225600', 'now'])('refuses the timestamp %j', (value) => {
    const headers = { ...signed(), [WEBHOOK_HEADERS.timestamp]: value };
    expect(verifySignature({ secrets: [secret], headers, body, now })).toEqual({
      ok: false,
      reason: 'invalid-timestamp',
    });
  });

  it('needs a secret', () => {
    expect(verifySignature({ secrets: [], headers: signed(), body, now })).toEqual({
      ok: false,
      reason: 'no-secrets',
    });
    expect(verifySignature({ secrets: [''], headers: signed(), body, now })).toEqual({
      ok: false,
      reason: 'no-secrets',
    });
  });
});
