import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
}

/** Decides the answer to the n-th request (0-based); 'hang' never answers. */
export type Responder = (request: RecordedRequest, hit: number) => Reply | 'hang';

export interface FakeEmbeddingsServer {
  /** The OpenAI-style base URL, `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replaces how the server answers from now on. */
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server speaking the OpenAI embeddings API (`POST /v1/embeddings`). By
 * default it answers every input with `vectorFor(input, dimensions)`, in reverse order
 * with correct `index` fields, as real servers are allowed to.
 */
export async function startFakeEmbeddingsServer(dimensions: number): Promise<FakeEmbeddingsServer> {
  const requests: RecordedRequest[] = [];
  let responder: Responder = (request) => ({ body: embeddingsBody(request, dimensions, { shuffle: true }) });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
      };
      requests.push(request);
      const reply = responder(request, requests.length - 1);
      if (reply === 'hang') return;
      const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    respondWith(next) {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A deterministic vector that identifies its text, so tests can check the order of results. */
export function vectorFor(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (let i = 0; i < text.length; i++) {
    const slot = i % dimensions;
    vector[slot] = (vector[slot] ?? 0) + text.charCodeAt(i) / 1000;
  }
  vector[dimensions - 1] = text.length;
  return vector;
}

/** The OpenAI embeddings response for a recorded request. */
export function embeddingsBody(
  request: RecordedRequest,
  dimensions: number,
  options: { shuffle?: boolean } = {},
): unknown {
  const input = (request.body as { input: string[] }).input;
  const data = input.map((text, index) => ({
    object: 'embedding',
    index,
    embedding: vectorFor(text, dimensions),
  }));
  if (options.shuffle) data.reverse(); // any order is allowed; `index` says which input
  return {
    object: 'list',
    model: (request.body as { model: string }).model,
    data,
    usage: { prompt_tokens: 1, total_tokens: 1 },
  };
}
