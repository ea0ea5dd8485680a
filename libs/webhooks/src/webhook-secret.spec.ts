import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, isWebhookSecret } from './webhook-secret';

describe('generateWebhookSecret', () => {
  it('is whsec_ and the base64url of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64url')).toHaveLength(32);
    expect(isWebhookSecret(secret)).toBe(true);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 200 }, generateWebhookSecret));
    expect(secrets.size).toBe(200);
  });

  it('tells secrets from other strings', () => {
    expect(isWebhookSecret('whsec_short')).toBe(false);
    expect(isWebhookSecret(`sk_${'a'.repeat(43)}`)).toBe(false);
    expect(isWebhookSecret(`whsec_${'a'.repeat(42)}+`)).toBe(false);
  });
});
