import { timingSafeEqual } from 'node:crypto';
import { type HeaderSource, readHeader } from './header-lookup';
import { SIGNATURE_SCHEME, WEBHOOK_HEADERS } from './headers';
import { computeSignature } from './signature';

export interface VerifySignatureInput {
  /** The secrets to accept: during a rotation, the old and the new one. */
  secrets: readonly string[];
  headers: HeaderSource;
  /** The raw body exactly as received, before any JSON parsing. */
  body: string | Uint8Array;
  /** How far the timestamp may be from `now`, either way. */
  toleranceSeconds?: number;
  now?: Date;
}

export type VerifyFailureReason =
  | 'no-secrets'
  | 'missing-id'
  | 'missing-timestamp'
  | 'missing-signature'
  | 'invalid-timestamp'
  | 'timestamp-too-old'
  | 'timestamp-in-future'
  | 'no-matching-signature';

export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailureReason };

const SIGNATURE_HEX = /^[0-9a-f]{64}$/i;

/** Checks a delivery's signature headers; comparisons are constant-time. */
export function verifySignature({
  secrets,
  headers,
  body,
  toleranceSeconds = 300,
  now = new Date(),
}: VerifySignatureInput): VerifyResult {
  const usable = secrets.filter((secret) => secret.length > 0);
  if (usable.length === 0) return { ok: false, reason: 'no-secrets' };
  const id = readHeader(headers, WEBHOOK_HEADERS.id);
  if (!id) return { ok: false, reason: 'missing-id' };
  const timestamp = readHeader(headers, WEBHOOK_HEADERS.timestamp);
  if (!timestamp) return { ok: false, reason: 'missing-timestamp' };
  const signature = readHeader(headers, WEBHOOK_HEADERS.signature, ' ');
  if (!signature) return { ok: false, reason: 'missing-signature' };

  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'invalid-timestamp' };
  const age = now.getTime() / 1000 - Number(timestamp);
  if (age > toleranceSeconds) return { ok: false, reason: 'timestamp-too-old' };
  if (-age > toleranceSeconds) return { ok: false, reason: 'timestamp-in-future' };

  const candidates = parseSignatures(signature);
  for (const secret of usable) {
    const expected = computeSignature(secret, id, timestamp, body);
    if (candidates.some((candidate) => timingSafeEqual(candidate, expected))) return { ok: true };
  }
  return { ok: false, reason: 'no-matching-signature' };
}

/** The `v1=` values as 32-byte buffers; other schemes and malformed values are ignored. */
function parseSignatures(header: string): Buffer[] {
  const prefix = `${SIGNATURE_SCHEME}=`;
  return header
    .split(/\s+/)
    .filter((part) => part.startsWith(prefix) && SIGNATURE_HEX.test(part.slice(prefix.length)))
    .map((part) => Buffer.from(part.slice(prefix.length), 'hex'));
}
