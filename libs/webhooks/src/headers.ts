/** The headers every delivery carries. Receivers read them case-insensitively. */
export const WEBHOOK_HEADERS = {
  /** The delivery id: the same on every retry of one delivery, so receivers can deduplicate. */
  id: 'Xorb-Webhook-Id',
  /** Unix time in seconds when this attempt was signed. */
  timestamp: 'Xorb-Webhook-Timestamp',
  /** One or more space-separated `v1=<hex HMAC-SHA256>` values. */
  signature: 'Xorb-Webhook-Signature',
  /** The event type, informational only (not signed: trust the event named in the body). */
  event: 'Xorb-Webhook-Event',
} as const;

export const SIGNATURE_SCHEME = 'v1';

export const WEBHOOK_USER_AGENT = 'XORB-Webhooks/1';
