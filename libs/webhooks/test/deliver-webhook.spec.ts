import { execFileSync } from 'node:child_process';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertDeliverable,
  deliverWebhook,
  generateWebhookSecret,
  type DeliverWebhookInput,
  type DeliveryResult,
} from '../src/index';
import { ipv6LoopbackAvailable, type LoopbackReceiver, startLoopbackReceiver } from './loopback-receiver';
import { loadReadmeNodeVerifier, type NodeVerifier } from './readme-snippets';

// Every receiver here is a real server this test starts on 127.0.0.1 or ::1; nothing else is contacted.
const secret = generateWebhookSecret();
const body = JSON.stringify({ event: 'scan.completed', data: { scanId: 'e5b0', findings: 2 } });
const results: DeliveryResult[] = [];
let verify: NodeVerifier;
let receiver: LoopbackReceiver;

const slowTimers = new Set<NodeJS.Timeout>();
const ipv6 = await ipv6LoopbackAvailable();

async function deliver(overrides: Partial<DeliverWebhookInput> & { url: string }): Promise<DeliveryResult> {
  const result = await deliverWebhook({
    secret,
    id: 'b9f6a8e2-3c1d-4e5f-8a7b-000000000001',
    event: 'scan.completed',
    body,
    timeoutMs: 5_000,
    pinnedAddress: '127.0.0.1',
    ...overrides,
  });
  results.push(result);
  return result;
}

function requestsTo(path: string) {
  return receiver.requests.filter((request) => request.path === path);
}

beforeAll(async () => {
  verify = await loadReadmeNodeVerifier();
  receiver = await startLoopbackReceiver({
    host: '127.0.0.1',
    secrets: [secret],
    verify,
    routes: {
      '/ok': (response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks'),
      '/accepted': (response) => response.writeHead(204).end(),
      '/fail': (response) => response.writeHead(500).end('internal error'),
      '/busy': (response) => response.writeHead(429, { 'retry-after': '7' }).end('slow down'),
      '/maintenance': (response) =>
        response.writeHead(503, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() }).end(),
      '/missing': (response) => response.writeHead(404).end('no such hook'),
      '/moved': (response) => response.writeHead(302, { location: '/ok' }).end(),
      '/slow': (response) => {
        const timer = setTimeout(() => response.writeHead(200).end('too late'), 3_000);
        slowTimers.add(timer);
      },
      '/trickle': (response) => {
        response.writeHead(200);
        response.write('partial');
      },
      '/big': (response) => response.writeHead(200).end('a'.repeat(50_000) + 'b'.repeat(50_000)),
      '/endless': (response) => {
        response.writeHead(200);
        const chunk = 'z'.repeat(16_384);
        const pump = (): void => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
      },
      '/host': (response, request) => response.writeHead(200).end(request.headers.host ?? ''),
    },
  });
});

afterAll(async () => {
  for (const timer of slowTimers) clearTimeout(timer);
  await receiver?.close();
});

describe('deliverWebhook', () => {
  it('delivers a POST the README verifier accepts', async () => {
    const result = await deliver({ url: receiver.url('/ok') });
    expect(result).toEqual({
      status: 200,
      durationMs: expect.any(Number),
      responseExcerpt: 'thanks',
      outcome: 'delivered',
    });
    const [request] = requestsTo('/ok');
    expect(request?.verified).toBe(true);
    expect(request?.method).toBe('POST');
    expect(request?.body.toString('utf8')).toBe(body);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'XORB-Webhooks/1',
      'xorb-webhook-id': 'b9f6a8e2-3c1d-4e5f-8a7b-000000000001',
      'xorb-webhook-event': 'scan.completed',
      'xorb-webhook-timestamp': expect.stringMatching(/^\d{10}$/),
      'xorb-webhook-signature': expect.stringMatching(/^v1=[0-9a-f]{64}$/),
    });
    expect(Math.abs(Number(request?.headers['xorb-webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('signs with both secrets during a rotation, and either verifies', async () => {
    const next = generateWebhookSecret();
    await deliver({ url: receiver.url('/accepted'), secret: [next, secret] });
    const [request] = requestsTo('/accepted');
    expect(String(request?.headers['xorb-webhook-signature']).split(' ')).toHaveLength(2);
    expect(request?.verified).toBe(true);
    expect(verify([next], request?.headers ?? {}, request?.body ?? '')).toBe(true);
    expect(verify([generateWebhookSecret()], request?.headers ?? {}, request?.body ?? '')).toBe(false);
  });

  it('keeps the delivery id across retries: 500 is retryable, then the retry is delivered', async () => {
    const id = 'b9f6a8e2-3c1d-4e5f-8a7b-0000000000aa';
    const first = await deliver({ url: receiver.url('/fail'), id });
    expect(first).toMatchObject({ status: 500, outcome: 'retryable', responseExcerpt: 'internal error' });
    expect(first.retryAfterMs).toBeUndefined();
    const second = await deliver({ url: receiver.url('/ok'), id });
    expect(second.outcome).toBe('delivered');
    const ids = receiver.requests.filter((request) => request.headers['xorb-webhook-id'] === id);
    expect(ids.map((request) => request.path)).toEqual(['/fail', '/ok']);
    expect(ids.every((request) => request.verified)).toBe(true);
  });

  it('treats 429 as retryable and reports Retry-After', async () => {
    const result = await deliver({ url: receiver.url('/busy') });
    expect(result).toMatchObject({
      status: 429,
      outcome: 'retryable',
      retryAfterMs: 7_000,
      responseExcerpt: 'slow down',
    });
  });

  it('reads a Retry-After HTTP date', async () => {
    const result = await deliver({ url: receiver.url('/maintenance') });
    expect(result).toMatchObject({ status: 503, outcome: 'retryable' });
    expect(result.retryAfterMs).toBeGreaterThan(110_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('treats 404 as a permanent rejection', async () => {
    const result = await deliver({ url: receiver.url('/missing') });
    expect(result).toMatchObject({ status: 404, outcome: 'rejected', responseExcerpt: 'no such hook' });
    expect(result.retryAfterMs).toBeUndefined();
  });

  it('rejects a 302 without following it', async () => {
    const okBefore = requestsTo('/ok').length;
    const result = await deliver({ url: receiver.url('/moved') });
    expect(result).toMatchObject({ status: 302, outcome: 'rejected' });
    expect(result.reason).toContain('redirects are not followed');
    expect(result.reason).toContain('Location: /ok');
    expect(requestsTo('/moved')).toHaveLength(1);
    expect(requestsTo('/ok')).toHaveLength(okBefore);
  });

  it('gives up on a slow receiver at the timeout, as retryable', async () => {
    const result = await deliver({ url: receiver.url('/slow'), timeoutMs: 300 });
    expect(result).toMatchObject({
      status: 0,
      outcome: 'retryable',
      responseExcerpt: '',
      reason: 'no response within 300 ms',
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('lets the status decide once it has arrived, even if the body never ends', async () => {
    const result = await deliver({ url: receiver.url('/trickle'), timeoutMs: 300 });
    expect(result).toMatchObject({ status: 200, outcome: 'delivered', responseExcerpt: 'partial' });
  });

  it('reads at most maxResponseBytes of the body', async () => {
    const capped = await deliver({ url: receiver.url('/big'), maxResponseBytes: 1_000 });
    expect(capped).toMatchObject({ status: 200, outcome: 'delivered', responseExcerpt: 'a'.repeat(1_000) });
    const byDefault = await deliver({ url: receiver.url('/big') });
    expect(byDefault.responseExcerpt).toBe('a'.repeat(4_096));
  });

  it('stops reading an endless body at the cap instead of waiting for the timeout', async () => {
    // A timeout far beyond the test's own: waiting for it would fail the test.
    const result = await deliver({ url: receiver.url('/endless'), timeoutMs: 600_000 });
    expect(result).toMatchObject({ status: 200, outcome: 'delivered', responseExcerpt: 'z'.repeat(4_096) });
  });

  it('treats a refused connection as retryable', async () => {
    const port = await closedLoopbackPort();
    const result = await deliver({ url: `http://127.0.0.1:${port}/ok` });
    expect(result).toMatchObject({ status: 0, outcome: 'retryable', responseExcerpt: '' });
    expect(result.reason).toContain('ECONNREFUSED');
  });

  it('connects to the pinned address while Host stays the URL host name', async () => {
    const result = await deliver({ url: receiver.url('/host', 'receiver.test'), pinnedAddress: '127.0.0.1' });
    expect(result).toMatchObject({
      status: 200,
      outcome: 'delivered',
      responseExcerpt: `receiver.test:${receiver.port}`,
    });
    const request = requestsTo('/host').at(-1);
    expect(request?.headers.host).toBe(`receiver.test:${receiver.port}`);
    expect(request?.verified).toBe(true);
  });

  it('delivers end to end: assertDeliverable, then deliverWebhook to the address it vetted', async () => {
    const target = await assertDeliverable(receiver.url('/host', 'localhost'), {
      allowPrivate: true,
      allowlist: [],
    });
    const result = await deliver({ url: target.url.href, pinnedAddress: target.address });
    expect(result).toMatchObject({ outcome: 'delivered', responseExcerpt: `localhost:${receiver.port}` });
  });

  it.skipIf(!ipv6)('pins to an IPv6 address too', async () => {
    const v6 = await startLoopbackReceiver({
      host: '::1',
      secrets: [secret],
      verify,
      routes: { '/host': (response, request) => response.writeHead(200).end(request.headers.host ?? '') },
    });
    try {
      const named = await deliver({ url: v6.url('/host', 'receiver.test'), pinnedAddress: '::1' });
      expect(named).toMatchObject({ outcome: 'delivered', responseExcerpt: `receiver.test:${v6.port}` });
      const literal = await deliver({ url: v6.url('/host'), pinnedAddress: '0:0:0:0:0:0:0:1' });
      expect(literal).toMatchObject({ outcome: 'delivered', responseExcerpt: `[::1]:${v6.port}` });
      expect(v6.requests.every((request) => request.verified)).toBe(true);
    } finally {
      await v6.close();
    }
  });

  it('refuses an IP-literal URL that is not the pinned address, and bad input, without sending', async () => {
    const before = receiver.requests.length;
    await expect(deliver({ url: receiver.url('/ok'), pinnedAddress: '127.0.0.2' })).rejects.toThrow(
      'other than pinnedAddress',
    );
    await expect(deliver({ url: receiver.url('/ok'), pinnedAddress: 'localhost' })).rejects.toThrow(
      TypeError,
    );
    await expect(deliver({ url: `ftp://127.0.0.1:${receiver.port}/ok` })).rejects.toThrow(TypeError);
    await expect(deliver({ url: `http://u:${secret}@127.0.0.1:${receiver.port}/ok` })).rejects.toThrow(
      /^webhook URLs must not carry credentials$/,
    );
    await expect(deliver({ url: receiver.url('/ok'), event: 'scan.completed\r\nX-Evil: 1' })).rejects.toThrow(
      TypeError,
    );
    await expect(deliver({ url: receiver.url('/ok'), timeoutMs: 0 })).rejects.toThrow(RangeError);
    expect(receiver.requests.length).toBe(before);
  });

  it('keeps the secret out of every result', () => {
    expect(results.length).toBeGreaterThan(10);
    for (const result of results) expect(JSON.stringify(result)).not.toContain(secret.slice('whsec_'.length));
  });
});

describe('deliverWebhook over HTTPS', () => {
  const openssl = hasOpenssl();

  it.skipIf(!openssl)('sends SNI for the URL host name and verifies the certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xorb-webhooks-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=receiver.test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const context = createSecureContext({
      key: readFileSync(join(dir, 'key.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
    });
    const serverNames: string[] = [];
    let requests = 0;
    const server = createHttpsServer(
      {
        SNICallback: (name, callback) => {
          serverNames.push(name);
          callback(null, context);
        },
      },
      (_request, response) => {
        requests += 1;
        response.writeHead(200).end();
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await deliver({ url: `https://receiver.test:${port}/hook`, pinnedAddress: '127.0.0.1' });
      // The handshake reached our loopback server under the URL's name, and the self-signed
      // certificate was refused: certificate checks are on, and nothing was sent.
      expect(serverNames).toEqual(['receiver.test']);
      expect(result).toMatchObject({ status: 0, outcome: 'retryable' });
      expect(result.reason).toMatch(/self-signed certificate/i);
      expect(requests).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A loopback port nothing listens on: bind one, note it, release it. */
async function closedLoopbackPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
