import { Writable } from 'node:stream';
import { createLogger } from '@xorb/observability';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  embeddingsBody,
  startFakeEmbeddingsServer,
  type FakeEmbeddingsServer,
} from '../../test/support/fake-embeddings-server';
import { EmbeddingError, EmbeddingProviderError, EmbeddingsUnavailableError } from '../errors';
import { OpenAiCompatibleEmbedder } from '../openai/openai-compatible-embedder';
import { CircuitBreakingEmbedder, type CircuitStateName } from './circuit-breaking-embedder';

const DIMENSIONS = 4;
const HALF_OPEN_AFTER_MS = 150;
let server: FakeEmbeddingsServer;
let logLines: Record<string, unknown>[];
let breaker: CircuitBreakingEmbedder;
let transitions: CircuitStateName[];

const healthy = (): void => server.respondWith((request) => ({ body: embeddingsBody(request, DIMENSIONS) }));
const failing = (status = 503): void =>
  server.respondWith(() => ({ status, body: { error: { message: 'down' } } }));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  server = await startFakeEmbeddingsServer(DIMENSIONS);
  logLines = [];
  const logger = createLogger({
    service: 'test',
    level: 'info',
    destination: new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        logLines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        callback();
      },
    }),
  });
  const inner = new OpenAiCompatibleEmbedder({
    url: server.baseUrl,
    model: 'm',
    dimensions: DIMENSIONS,
    apiKey: 'sk-x',
    maxRetries: 0,
  });
  breaker = new CircuitBreakingEmbedder(inner, {
    logger,
    halfOpenAfterMs: HALF_OPEN_AFTER_MS,
    consecutiveFailures: 3,
  });
  transitions = [];
  breaker.onStateChange((state) => transitions.push(state));
});
afterEach(async () => {
  await server.close();
});

describe('CircuitBreakingEmbedder', () => {
  it('opens after N consecutive failures and then fails fast without calling the provider', async () => {
    failing();
    for (let i = 0; i < 3; i++)
      await expect(breaker.embed(['x'])).rejects.toBeInstanceOf(EmbeddingProviderError);
    expect(breaker.state).toBe('open');
    expect(server.requests).toHaveLength(3);

    for (let i = 0; i < 5; i++) {
      const error = await breaker.embed(['x']).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(EmbeddingsUnavailableError);
      expect(error).toBeInstanceOf(EmbeddingError);
      expect((error as Error).message).toContain('openai-compatible is unavailable (circuit open)');
      expect((error as Error).cause).toBeInstanceOf(EmbeddingProviderError);
    }
    expect(server.requests).toHaveLength(3);
    expect(transitions).toEqual(['open']);
    expect(logLines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        provider: 'openai-compatible',
        circuit: 'open',
        cause: expect.stringContaining('HTTP 503'),
      }),
    );
  });

  it('half-opens after the configured time and closes again on success', async () => {
    failing();
    for (let i = 0; i < 3; i++) await breaker.embed(['x']).catch(() => undefined);
    expect(breaker.state).toBe('open');
    healthy();
    await expect(breaker.embed(['x'])).rejects.toBeInstanceOf(EmbeddingsUnavailableError);
    expect(server.requests).toHaveLength(3);

    await sleep(HALF_OPEN_AFTER_MS + 20);
    expect(await breaker.embed(['x'])).toHaveLength(1);
    expect(server.requests).toHaveLength(4);
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual(['open', 'half-open', 'closed']);
    expect(logLines.map((line) => line['circuit'])).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again when the half-open trial fails', async () => {
    failing();
    for (let i = 0; i < 3; i++) await breaker.embed(['x']).catch(() => undefined);
    await sleep(HALF_OPEN_AFTER_MS + 20);
    await expect(breaker.embed(['x'])).rejects.toBeInstanceOf(EmbeddingProviderError);
    expect(server.requests).toHaveLength(4);
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual(['open', 'half-open', 'open']);
    await expect(breaker.embed(['x'])).rejects.toBeInstanceOf(EmbeddingsUnavailableError);
    expect(server.requests).toHaveLength(4);
  });

  it('rejects other calls at once while the half-open trial runs', async () => {
    const inner = new OpenAiCompatibleEmbedder({
      url: server.baseUrl,
      model: 'm',
      dimensions: DIMENSIONS,
      maxRetries: 0,
      timeoutMs: 300,
    });
    const single = new CircuitBreakingEmbedder(inner, {
      logger: silentLogger(),
      halfOpenAfterMs: HALF_OPEN_AFTER_MS,
      consecutiveFailures: 1,
    });
    failing();
    await single.embed(['x']).catch(() => undefined);
    expect(single.state).toBe('open');
    await sleep(HALF_OPEN_AFTER_MS + 20);

    server.respondWith(() => 'hang');
    const trial = single.embed(['x']).catch((reason: unknown) => reason);
    await sleep(20);
    expect(single.state).toBe('half-open');
    await expect(single.embed(['y'])).rejects.toBeInstanceOf(EmbeddingsUnavailableError);
    expect(server.requests).toHaveLength(2);
    expect(await trial).toMatchObject({ code: 'timeout' });
    expect(single.state).toBe('open');
  });

  it('does not count request errors (HTTP 400) or the caller aborting', async () => {
    failing(400);
    for (let i = 0; i < 5; i++) await expect(breaker.embed(['x'])).rejects.toMatchObject({ status: 400 });
    expect(breaker.state).toBe('closed');

    server.respondWith(() => 'hang');
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const call = breaker.embed(['x'], controller.signal);
      setTimeout(() => controller.abort(), 10);
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    }
    expect(breaker.state).toBe('closed');

    // An authentication failure does count: every request would fail the same way.
    failing(401);
    for (let i = 0; i < 3; i++) await breaker.embed(['x']).catch(() => undefined);
    expect(breaker.state).toBe('open');
  });

  it('resets the count after a success', async () => {
    for (const outcome of ['fail', 'fail', 'ok', 'fail', 'fail', 'ok'] as const) {
      if (outcome === 'fail') failing();
      else healthy();
      await breaker.embed(['x']).catch(() => undefined);
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.dimensions).toBe(DIMENSIONS);
    expect(breaker.model).toBe('m');
  });
});

function silentLogger(): ReturnType<typeof createLogger> {
  return createLogger({
    service: 'test',
    level: 'silent',
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
}
