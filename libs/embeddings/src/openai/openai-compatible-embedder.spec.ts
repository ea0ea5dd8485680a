import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  embeddingsBody,
  startFakeEmbeddingsServer,
  vectorFor,
  type FakeEmbeddingsServer,
} from '../../test/support/fake-embeddings-server';
import { EmbeddingProviderError } from '../errors';
import { OpenAiCompatibleEmbedder, type OpenAiCompatibleEmbedderOptions } from './openai-compatible-embedder';

const DIMENSIONS = 8;
const API_KEY = 'sk-test-SECRET-0123456789abcdef';
let server: FakeEmbeddingsServer;

beforeEach(async () => {
  server = await startFakeEmbeddingsServer(DIMENSIONS);
});
afterEach(async () => {
  await server.close();
});

function embedder(options: Partial<OpenAiCompatibleEmbedderOptions> = {}): OpenAiCompatibleEmbedder {
  return new OpenAiCompatibleEmbedder({
    url: server.baseUrl,
    model: 'text-embedding-test',
    dimensions: DIMENSIONS,
    apiKey: API_KEY,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<EmbeddingProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(EmbeddingProviderError);
  const providerError = error as EmbeddingProviderError;
  for (const rendering of [
    providerError.message,
    String(providerError),
    inspect(providerError),
    JSON.stringify(providerError),
  ]) {
    expect(rendering).not.toContain(API_KEY);
  }
  return providerError;
}

describe('OpenAiCompatibleEmbedder', () => {
  it('posts the OpenAI embeddings request to {url}/embeddings', async () => {
    const vectors = await embedder().embed(['TLS certificate expires soon', 'Redis without auth']);
    expect(vectors).toEqual([
      vectorFor('TLS certificate expires soon', DIMENSIONS),
      vectorFor('Redis without auth', DIMENSIONS),
    ]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/embeddings' });
    expect(request?.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      model: 'text-embedding-test',
      input: ['TLS certificate expires soon', 'Redis without auth'],
      encoding_format: 'float',
    });
  });

  it('sends dimensions and extra fields only when configured, and no Authorization without a key', async () => {
    await embedder({
      apiKey: undefined,
      sendDimensions: true,
      extraBody: { input_type: 'passage', truncate: 'END' },
    }).embed(['a']);
    const [request] = server.requests;
    expect(request?.headers['authorization']).toBeUndefined();
    expect(request?.body).toEqual({
      model: 'text-embedding-test',
      input: ['a'],
      encoding_format: 'float',
      dimensions: DIMENSIONS,
      input_type: 'passage',
      truncate: 'END',
    });
  });

  it('accepts base URLs with a trailing slash or ending in /embeddings', async () => {
    await embedder({ url: `${server.baseUrl}/` }).embed(['a']);
    await embedder({ url: `${server.baseUrl}/embeddings` }).embed(['a']);
    expect(server.requests.map((request) => request.path)).toEqual(['/v1/embeddings', '/v1/embeddings']);
    expect(() => embedder({ url: 'http://user:pw@127.0.0.1/v1' })).toThrow(/credentials/);
    expect(() => embedder({ url: 'ftp://127.0.0.1/v1' })).toThrow(/http or https/);
  });

  it('splits inputs into batches and restores input order from each item index', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `finding number ${i}`);
    const vectors = await embedder({ batchSize: 4 }).embed(texts);
    expect(server.requests.map((request) => (request.body as { input: string[] }).input.length)).toEqual([
      4, 4, 2,
    ]);
    expect(vectors).toEqual(texts.map((text) => vectorFor(text, DIMENSIONS)));
    expect(await embedder().embed([])).toEqual([]);
    expect(server.requests).toHaveLength(3);
  });

  it('retries a 500 and then succeeds', async () => {
    server.respondWith((request, hit) =>
      hit === 0
        ? { status: 500, body: { error: { message: 'model runner crashed' } } }
        : { body: embeddingsBody(request, DIMENSIONS) },
    );
    expect(await embedder().embed(['x'])).toEqual([vectorFor('x', DIMENSIONS)]);
    expect(server.requests).toHaveLength(2);
  });

  it('waits as long as a 429 Retry-After says', async () => {
    server.respondWith((request, hit) =>
      hit === 0
        ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached' } } }
        : { body: embeddingsBody(request, DIMENSIONS) },
    );
    const started = performance.now();
    expect(await embedder().embed(['x'])).toHaveLength(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up at once when Retry-After is longer than it may wait', async () => {
    server.respondWith(() => ({ status: 429, headers: { 'retry-after': '3600' }, body: {} }));
    const error = await failure(embedder({ maxRetryAfterMs: 5_000 }).embed(['x']));
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3_600_000, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a 400 and reports the provider message', async () => {
    server.respondWith(() => ({
      status: 400,
      body: { error: { message: "'input' must not be empty", type: 'invalid_request_error' } },
    }));
    const error = await failure(embedder().embed(['']));
    expect(error).toMatchObject({ code: 'http_status', status: 400, retryable: false, attempts: 1 });
    expect(error.message).toContain('HTTP 400');
    expect(error.message).toContain("'input' must not be empty");
    expect(server.requests).toHaveLength(1);
  });

  it('stops after maxRetries on persistent 503s', async () => {
    server.respondWith(() => ({ status: 503, body: 'upstream overloaded' }));
    const error = await failure(embedder({ maxRetries: 2 }).embed(['x']));
    expect(error).toMatchObject({ status: 503, retryable: true, attempts: 3 });
    expect(error.message).toMatch(/upstream overloaded \(gave up after 3 attempts\)/);
    expect(server.requests).toHaveLength(3);
  });

  it('times out a request the server never answers', async () => {
    server.respondWith(() => 'hang');
    const started = performance.now();
    const error = await failure(embedder({ timeoutMs: 200, maxRetries: 0 }).embed(['x']));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: 'timeout', retryable: true, status: undefined });
    expect(error.message).toContain('did not answer within 200 ms');
    expect(elapsed).toBeGreaterThanOrEqual(190);
  });

  it('passes the caller abort on without retrying', async () => {
    server.respondWith(() => 'hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(embedder({ timeoutMs: 5_000 }).embed(['x'], controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('reports an unreachable server as a retryable network error', async () => {
    const url = server.baseUrl;
    await server.close();
    const error = await failure(
      new OpenAiCompatibleEmbedder({
        url,
        model: 'm',
        dimensions: DIMENSIONS,
        apiKey: API_KEY,
        maxRetries: 1,
        retryBaseDelayMs: 1,
      }).embed(['x']),
    );
    expect(error).toMatchObject({ code: 'network', retryable: true, attempts: 2 });
    expect(error.message).toMatch(/could not be reached: .*ECONNREFUSED/);
    server = await startFakeEmbeddingsServer(DIMENSIONS); // for afterEach
  });

  it('rejects vectors with the wrong number of dimensions, with a clear message', async () => {
    server.respondWith((request) => ({ body: embeddingsBody(request, 768) }));
    const error = await failure(embedder().embed(['x']));
    expect(error).toMatchObject({ code: 'dimension_mismatch', retryable: false });
    expect(error.message).toContain('returned 768-dimensional embeddings, but 8 dimensions are configured');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects malformed responses', async () => {
    const cases: [unknown, RegExp][] = [
      ['<html>bad gateway</html>', /not JSON/],
      [{ object: 'list' }, /invalid embeddings response \(data: /],
      [{ data: [{ index: 0, embedding: 'AAAA' }] }, /data\.0\.embedding/],
      [{ data: [] }, /returned 0 embeddings for 1 inputs/],
      [
        { data: [{ index: 3, embedding: vectorFor('x', DIMENSIONS) }] },
        /unexpected or repeated embedding index 3/,
      ],
    ];
    for (const [body, message] of cases) {
      server.respondWith(() => ({ body }));
      const error = await failure(embedder().embed(['x']));
      expect(error).toMatchObject({ code: 'bad_response', retryable: false });
      expect(error.message).toMatch(message);
    }
  });

  it('never reveals the API key, even when the server echoes it', async () => {
    server.respondWith((request) => ({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${String(request.headers['authorization'])}` } },
    }));
    const instance = embedder();
    const error = await failure(instance.embed(['x']));
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect(error.message).toContain('Incorrect API key provided: Bearer [redacted]');
    expect(inspect(instance)).not.toContain(API_KEY);
    expect(JSON.stringify(instance)).not.toContain(API_KEY);
  });
});
