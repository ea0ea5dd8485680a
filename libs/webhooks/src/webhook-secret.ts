import { randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

const SECRET_PATTERN = /^whsec_[A-Za-z0-9_-]{43}$/;

/** A new endpoint secret: `whsec_` and 32 random bytes in base64url (43 characters). */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Whether a value has the shape generateWebhookSecret() produces. */
export function isWebhookSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}
