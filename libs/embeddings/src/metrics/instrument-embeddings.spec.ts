import { Writable } from 'node:stream';
import { createLogger } from '@xorb/observability';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CircuitBreakingEmbedder } from '../breaker/circuit-breaking-embedder';
import { type EmbeddingProvider } from '../embedding-provider';
import { EmbeddingProviderError } from '../errors';
import { LocalHashingEmbedder } from '../local/local-hashing-embedder';
import { instrumentEmbeddings } from './instrument-embeddings';

const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

/** A provider that fails while `down` is true. */
class FlakyProvider implements EmbeddingProvider {
  readonly name = 'flaky';
  readonly dimensions = 2;
  down = true;
  /** While set, calls wait for it. */
  gate: Promise<void> | undefined;
  async embed(texts: string[]): Promise<number[][]> {
    await this.gate;
    if (this.down)
      throw new EmbeddingProviderError('down', { code: 'http_status', status: 503, retryable: true });
    return texts.map(() => [1, 0]);
  }
}

async function metricLines(registry: Registry, name: string): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line.startsWith(name));
}

describe('instrumentEmbeddings', () => {
  it('counts calls by outcome and texts embedded', async () => {
    const registry = new Registry();
    const provider = instrumentEmbeddings(new LocalHashingEmbedder({ dimensions: 8 }), registry);
    expect(provider).toMatchObject({ name: 'local', dimensions: 8, model: 'xorb-hashing-v1' });
    await provider.embed(['a', 'b', 'c']);
    await provider.embed(['d']);
    await expect(provider.embed(['e'], AbortSignal.abort())).rejects.toThrow();
    expect(await metricLines(registry, 'xorb_embeddings_requests_total{')).toEqual([
      'xorb_embeddings_requests_total{provider="local",outcome="success"} 2',
      'xorb_embeddings_requests_total{provider="local",outcome="aborted"} 1',
    ]);
    expect(await metricLines(registry, 'xorb_embeddings_texts_total{')).toEqual([
      'xorb_embeddings_texts_total{provider="local"} 4',
    ]);
    expect(await metricLines(registry, 'xorb_embeddings_request_duration_seconds_count')).toHaveLength(2);
  });

  it('follows the circuit state (0 closed, 1 half-open, 2 open) and counts unavailable calls', async () => {
    const registry = new Registry();
    const flaky = new FlakyProvider();
    const breaker = new CircuitBreakingEmbedder(flaky, {
      logger,
      consecutiveFailures: 2,
      halfOpenAfterMs: 50,
    });
    const provider = instrumentEmbeddings(breaker, registry);
    const gauge = (): Promise<string[]> => metricLines(registry, 'xorb_embeddings_circuit_state{');
    expect(await gauge()).toEqual(['xorb_embeddings_circuit_state{provider="flaky"} 0']);

    for (let i = 0; i < 3; i++) await provider.embed(['x']).catch(() => undefined);
    expect(await gauge()).toEqual(['xorb_embeddings_circuit_state{provider="flaky"} 2']);
    expect(await metricLines(registry, 'xorb_embeddings_requests_total{')).toEqual([
      'xorb_embeddings_requests_total{provider="flaky",outcome="error"} 2',
      'xorb_embeddings_requests_total{provider="flaky",outcome="unavailable"} 1',
    ]);

    await new Promise((resolve) => setTimeout(resolve, 60));
    flaky.down = false;
    let release = (): void => undefined;
    flaky.gate = new Promise((resolve) => (release = resolve));
    const trial = provider.embed(['x']);
    expect(await gauge()).toEqual(['xorb_embeddings_circuit_state{provider="flaky"} 1']);
    release();
    await trial;
    expect(await gauge()).toEqual(['xorb_embeddings_circuit_state{provider="flaky"} 0']);
  });

  it('shares the metrics of one registry between providers', async () => {
    const registry = new Registry();
    await instrumentEmbeddings(new LocalHashingEmbedder({ dimensions: 4 }), registry).embed(['a']);
    await instrumentEmbeddings(new FlakyProvider(), registry)
      .embed(['a'])
      .catch(() => undefined);
    expect(await metricLines(registry, 'xorb_embeddings_requests_total{')).toHaveLength(2);
  });
});
