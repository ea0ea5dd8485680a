import { Writable } from 'node:stream';
import { type XorbConfig } from '@xorb/config-manager';
import { createLogger } from '@xorb/observability';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../test/support/fake-embeddings-server';
import { CircuitBreakingEmbedder } from './breaker/circuit-breaking-embedder';
import { createEmbeddingProvider, type EmbeddingsSettings } from './create-embedding-provider';
import { LocalHashingEmbedder, LOCAL_HASHING_MODEL } from './local/local-hashing-embedder';

const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});
const settings = (overrides: Partial<EmbeddingsSettings>): EmbeddingsSettings => ({
  provider: 'local',
  model: 'all-minilm',
  dimensions: 16,
  url: undefined,
  ...overrides,
});
let server: FakeEmbeddingsServer;

beforeEach(async () => {
  server = await startFakeEmbeddingsServer(16);
});
afterEach(async () => {
  await server.close();
});

describe('createEmbeddingProvider', () => {
  it('reads the platform configuration section', () => {
    expectTypeOf<XorbConfig['embeddings']>().toExtend<EmbeddingsSettings>();
  });

  it('builds the local hashing embedder by default', async () => {
    const provider = createEmbeddingProvider(settings({ dimensions: 384 }), { logger });
    expect(provider).toBeInstanceOf(LocalHashingEmbedder);
    expect(provider).toMatchObject({ name: 'local', model: LOCAL_HASHING_MODEL, dimensions: 384 });
    expect(await provider?.embed(['x'])).toHaveLength(1);
  });

  it('returns undefined when embeddings are off', () => {
    expect(createEmbeddingProvider(settings({ provider: 'none' }), { logger })).toBeUndefined();
  });

  it('wraps an openai-compatible provider in a circuit breaker', async () => {
    const provider = createEmbeddingProvider(
      settings({
        provider: 'openai-compatible',
        url: server.baseUrl,
        apiKey: 'sk-1',
        model: 'nv-embedqa-e5-v5',
      }),
      { logger, extraBody: { input_type: 'passage' } },
    );
    expect(provider).toBeInstanceOf(CircuitBreakingEmbedder);
    expect(provider).toMatchObject({
      name: 'openai-compatible',
      model: 'nv-embedqa-e5-v5',
      dimensions: 16,
      state: 'closed',
    });
    expect(await provider?.embed(['x', 'y'])).toHaveLength(2);
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer sk-1');
    expect(server.requests[0]?.body).toMatchObject({ model: 'nv-embedqa-e5-v5', input_type: 'passage' });
  });

  it('treats ollama as openai-compatible, adding /v1 to a bare URL', async () => {
    const bare = server.baseUrl.replace(/\/v1$/, '');
    const provider = createEmbeddingProvider(settings({ provider: 'ollama', url: bare }), { logger });
    expect(provider).toMatchObject({ name: 'ollama', model: 'all-minilm' });
    await provider?.embed(['x']);
    expect(server.requests[0]?.path).toBe('/v1/embeddings');
  });

  it('requires a URL for remote providers', () => {
    expect(() => createEmbeddingProvider(settings({ provider: 'openai-compatible' }), { logger })).toThrow(
      /URL is required/,
    );
  });

  it('instruments the provider when given a registry', async () => {
    const registry = new Registry();
    const provider = createEmbeddingProvider(settings({}), { logger, registry });
    await provider?.embed(['a', 'b']);
    expect(await registry.metrics()).toContain(
      'xorb_embeddings_requests_total{provider="local",outcome="success"} 1',
    );
  });
});
