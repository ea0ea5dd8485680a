import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type DeliveryOutcome, outcomeForStatus } from './delivery-outcome';
import { WEBHOOK_HEADERS, WEBHOOK_USER_AGENT } from './headers';
import { pinnedLookup } from './pinned-lookup';
import { parseRetryAfter } from './retry-after';
import { signPayload } from './sign-payload';

export interface DeliverWebhookInput {
  /** The receiver's URL, already vetted by assertDeliverable. */
  url: string | URL;
  /** The endpoint secret (or, during a rotation, the old and the new one). */
  secret: string | readonly string[];
  /** The delivery id: reuse it on every retry of the same delivery. */
  id: string;
  /** The event type, sent as Xorb-Webhook-Event. */
  event: string;
  /** The JSON document to send; signed exactly as sent. */
  body: string;
  /** The whole exchange (connect, send, response head and excerpt) must finish within this. */
  timeoutMs: number;
  /** The address assertDeliverable returned: the connection goes there, never to a fresh DNS answer. */
  pinnedAddress: string;
  userAgent?: string;
  /** At most this many bytes of the response body are read and kept. */
  maxResponseBytes?: number;
}

export interface DeliveryResult {
  /** The receiver's status code; 0 when there was no response (timeout, network error). */
  status: number;
  durationMs: number;
  /** The start of the response body, at most maxResponseBytes bytes, decoded as UTF-8. */
  responseExcerpt: string;
  outcome: DeliveryOutcome;
  /** Why the delivery was not delivered, for the delivery log. Never contains the secret. */
  reason?: string;
  /** For a retryable response with Retry-After: how long the receiver asked us to wait. */
  retryAfterMs?: number;
}

const HEADER_TOKEN = /^[\x21-\x7e]{1,200}$/;

/**
 * One signed POST to a webhook receiver over a connection pinned to a vetted address.
 * Redirects are never followed. Resolves with the outcome; rejects only on bad input.
 */
export function deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryResult> {
  const { secret, id, event, body, timeoutMs, pinnedAddress, maxResponseBytes = 4096 } = input;
  const url = checkedUrl(input.url, pinnedAddress);
  if (!HEADER_TOKEN.test(event)) throw new TypeError('event must be 1-200 visible ASCII characters');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be positive');
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 0) {
    throw new RangeError('maxResponseBytes must be a non-negative whole number');
  }
  const payload = Buffer.from(body, 'utf8');
  const headers = {
    ...signPayload({ secret, id, body: payload }),
    [WEBHOOK_HEADERS.event]: event,
    'Content-Type': 'application/json',
    'Content-Length': String(payload.length),
    'User-Agent': input.userAgent ?? WEBHOOK_USER_AGENT,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();

  return new Promise((resolve) => {
    let settled = false;
    let finishResponse: (() => void) | undefined;
    const finish = (result: Omit<DeliveryResult, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
      request.destroy();
    };
    const noResponse = (reason: string): void =>
      finish({ status: 0, responseExcerpt: '', outcome: 'retryable', reason });

    // agent: false: a fresh connection per delivery, so no pooled socket (or proxy) bypasses the pin.
    const request = send(url, { method: 'POST', headers, lookup: pinnedLookup(pinnedAddress), agent: false });
    const timer = setTimeout(() => {
      if (finishResponse) finishResponse();
      else noResponse(`no response within ${timeoutMs} ms`);
    }, timeoutMs);

    request.on('error', (error) => {
      if (finishResponse) finishResponse();
      else noResponse(describeNetworkError(error));
    });
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const verdict = outcomeForStatus(status);
      const location = single(response.headers.location);
      const reason =
        verdict.reason && location && status >= 300 && status < 400
          ? `${verdict.reason} (Location: ${location.slice(0, 200)})`
          : verdict.reason;
      const retryAfterMs =
        verdict.outcome === 'retryable'
          ? parseRetryAfter(single(response.headers['retry-after']))
          : undefined;
      const chunks: Buffer[] = [];
      let received = 0;
      finishResponse = () =>
        finish({
          status,
          responseExcerpt: Buffer.concat(chunks).subarray(0, maxResponseBytes).toString('utf8'),
          outcome: verdict.outcome,
          ...(reason === undefined ? {} : { reason }),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      response.on('data', (chunk: Buffer) => {
        if (received < maxResponseBytes) chunks.push(chunk);
        received += chunk.length;
        if (received >= maxResponseBytes) finishResponse?.();
      });
      // Once the status is known it decides the outcome; a body cut short only shortens the excerpt.
      response.on('end', () => finishResponse?.());
      response.on('error', () => finishResponse?.());
      response.on('close', () => finishResponse?.());
    });
    request.end(payload);
  });
}

function checkedUrl(input: string | URL, pinnedAddress: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    // Not the URL's text: its path or query may hold the customer's tokens.
    throw new TypeError('the webhook URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('webhook URLs use http or https');
  if (url.username !== '' || url.password !== '')
    throw new TypeError('webhook URLs must not carry credentials');
  if (isIP(pinnedAddress) === 0)
    throw new TypeError('pinnedAddress must be an IP address from assertDeliverable');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  // An IP-literal URL is connected to directly (no lookup), so it must be the pinned address itself.
  if (isIP(host) !== 0 && canonicalIP(host) !== canonicalIP(pinnedAddress)) {
    throw new TypeError('the URL names an IP address other than pinnedAddress');
  }
  return url;
}

function canonicalIP(address: string): string {
  const bare = address.replace(/%.*$/, '');
  return isIP(bare) === 6 ? new URL(`http://[${bare}]`).hostname : bare;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}
