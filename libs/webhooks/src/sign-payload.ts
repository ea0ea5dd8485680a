import { SIGNATURE_SCHEME, WEBHOOK_HEADERS } from './headers';
import { computeSignature } from './signature';

export interface SignPayloadInput {
  /** The endpoint secret; during a rotation, the old and the new one (each gets a `v1=` value). */
  secret: string | readonly string[];
  /** The delivery id, reused on every retry of the same delivery. */
  id: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** The exact bytes that will be sent. */
  body: string | Uint8Array;
}

export type SignatureHeaders = Record<(typeof WEBHOOK_HEADERS)['id' | 'timestamp' | 'signature'], string>;

/** Letters, digits, `_`, `-` and `:`; no `.`, so the signed content `{id}.{timestamp}.{body}` parses one way only. */
const DELIVERY_ID = /^[A-Za-z0-9_:-]{1,128}$/;

/** The three signature headers for one delivery attempt. */
export function signPayload({ secret, id, timestamp, body }: SignPayloadInput): SignatureHeaders {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((value) => value.length === 0)) {
    throw new TypeError('signPayload needs at least one non-empty secret');
  }
  if (!DELIVERY_ID.test(id)) {
    throw new TypeError('delivery ids are 1-128 characters of letters, digits, "_", "-" and ":"');
  }
  const seconds = timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new TypeError('the timestamp is a non-negative whole number of Unix seconds');
  }
  const signatures = secrets.map(
    (value) => `${SIGNATURE_SCHEME}=${computeSignature(value, id, seconds, body).toString('hex')}`,
  );
  return {
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(seconds),
    [WEBHOOK_HEADERS.signature]: signatures.join(' '),
  };
}
