import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `xorb_<prefix>_<secret>`: the prefix is public (shown in
 * lists and logs, used to find the key), the secret is shown once and stored hashed.
 */
const KEY_FORMAT = /^xorb_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  prefix: string;
  secret: string;
}

export function generateApiKey(): { key: string; prefix: string; secret: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `xorb_${prefix}_${secret}`, prefix, secret };
}

export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = KEY_FORMAT.exec(key);
  return match ? { prefix: match[1] as string, secret: match[2] as string } : undefined;
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith('xorb_');
}

/**
 * The secret carries 256 random bits, so a fast hash is enough (no password
 * stretching needed); with a pepper it is an HMAC, useless without the pepper.
 */
export function hashApiKeySecret(secret: string, pepper: string | undefined): string {
  return pepper
    ? createHmac('sha256', pepper).update(secret).digest('hex')
    : createHash('sha256').update(secret).digest('hex');
}

export function apiKeySecretMatches(secret: string, storedHash: string, pepper: string | undefined): boolean {
  const candidate = Buffer.from(hashApiKeySecret(secret, pepper), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}
