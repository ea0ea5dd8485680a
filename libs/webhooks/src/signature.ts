import { createHmac } from 'node:crypto';

/**
 * The v1 signature: HMAC-SHA256 keyed with the whole secret string (UTF-8, `whsec_`
 * prefix included) over `{id}.{timestamp}.{raw body}`.
 */
export function computeSignature(
  secret: string,
  id: string,
  timestamp: number | string,
  body: string | Uint8Array,
): Buffer {
  return createHmac('sha256', secret)
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest();
}
