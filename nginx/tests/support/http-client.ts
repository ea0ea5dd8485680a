import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { gunzipSync } from 'node:zlib';

export interface ClientResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Raw header lines (names and values, as sent), to count duplicates. */
  rawHeaders: string[];
  body: string;
  /** TLS version of the connection (https only). */
  tlsProtocol: string | undefined;
  ms: number;
}

export interface ClientRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Source address of the connection (any 127.0.0.0/8 address): a distinct client for rate limits. */
  localAddress?: string;
  /** Trusted CA (PEM) for https; the connection is verified against it. */
  ca?: string;
  servername?: string;
  /** Sent as-is (no normalisation), e.g. "/api/../metrics". */
  rawPath?: string;
  timeoutMs?: number;
}

/**
 * One HTTP(S) request over a fresh connection (no keep-alive, so every request is
 * seen by nginx on its own), with the body decoded when gzip-encoded.
 */
export function send(options: ClientRequest): Promise<ClientResponse> {
  const url = new URL(options.url);
  const started = Date.now();
  const isHttps = url.protocol === 'https:';
  const request = isHttps ? httpsRequest : httpRequest;
  return new Promise((resolveSend, rejectSend) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.rawPath ?? `${url.pathname}${url.search}`,
        headers: { connection: 'close', ...options.headers },
        localAddress: options.localAddress,
        agent: false,
        ...(isHttps ? { ca: options.ca, servername: options.servername ?? url.hostname } : {}),
        timeout: options.timeoutMs ?? 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        const tlsProtocol = isHttps
          ? ((response.socket as TLSSocket).getProtocol?.() ?? undefined)
          : undefined;
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(chunks);
          const body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
          resolveSend({
            status: response.statusCode ?? 0,
            headers: response.headers,
            rawHeaders: response.rawHeaders,
            body: body.toString('utf8'),
            tlsProtocol,
            ms: Date.now() - started,
          });
        });
        response.on('error', rejectSend);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.url} timed out`)));
    req.on('error', rejectSend);
    req.end();
  });
}

/** How often a header appears in a response (raw header lines). */
export function headerCount(response: ClientResponse, name: string): number {
  let count = 0;
  for (let index = 0; index < response.rawHeaders.length; index += 2) {
    if (response.rawHeaders[index]?.toLowerCase() === name.toLowerCase()) count += 1;
  }
  return count;
}
