import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeVerifier } from './readme-snippets';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Whether the README's verification function accepted the delivery. */
  verified: boolean;
}

export type Route = (response: ServerResponse, request: IncomingMessage) => void;

export interface LoopbackReceiver {
  host: string;
  port: number;
  requests: RecordedRequest[];
  /** http://<hostname>:<port><path>; the hostname defaults to the listening address. */
  url(path: string, hostname?: string): string;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on a loopback address that records every request and checks its
 * signature with the README's verifier, the way a customer's receiver would.
 */
export async function startLoopbackReceiver(options: {
  host: '127.0.0.1' | '::1';
  secrets: string[];
  verify: NodeVerifier;
  routes: Record<string, Route>;
}): Promise<LoopbackReceiver> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = request.url ?? '/';
      requests.push({
        method: request.method ?? '',
        path,
        headers: request.headers,
        body,
        verified: options.verify(options.secrets, request.headers, body),
      });
      const route = options.routes[path];
      if (route) route(response, request);
      else response.writeHead(599).end('no such route');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const literal = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    host: options.host,
    port,
    requests,
    url: (path, hostname = literal) => `http://${hostname}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether this machine can listen on ::1 (some containers have no IPv6 loopback). */
export async function ipv6LoopbackAvailable(): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}
