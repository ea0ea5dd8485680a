import { type Registry } from 'prom-client';
import { type CircuitStateName, type CircuitStateSource } from '../breaker/circuit-breaking-embedder';
import { type EmbeddingProvider } from '../embedding-provider';
import { EmbeddingsUnavailableError } from '../errors';
import { embeddingsMetrics, type EmbeddingOutcome, type EmbeddingsMetrics } from './embeddings-metrics';

const CIRCUIT_STATE_VALUE: Record<CircuitStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The provider, counting its calls in `registry`: `xorb_embeddings_requests_total{provider,outcome}`,
 * `xorb_embeddings_texts_total{provider}`, `xorb_embeddings_request_duration_seconds{provider,outcome}`
 * and, when it has a circuit breaker, `xorb_embeddings_circuit_state{provider}`.
 */
export function instrumentEmbeddings(provider: EmbeddingProvider, registry: Registry): EmbeddingProvider {
  const metrics = embeddingsMetrics(registry);
  if (hasCircuit(provider)) {
    const gauge = metrics.circuitState.labels({ provider: provider.name });
    gauge.set(CIRCUIT_STATE_VALUE[provider.state]);
    provider.onStateChange((state) => gauge.set(CIRCUIT_STATE_VALUE[state]));
  }
  return new InstrumentedEmbedder(provider, metrics);
}

class InstrumentedEmbedder implements EmbeddingProvider {
  readonly name: string;
  readonly model: string | undefined;
  readonly dimensions: number;

  constructor(
    readonly inner: EmbeddingProvider,
    private readonly metrics: EmbeddingsMetrics,
  ) {
    this.name = inner.name;
    this.model = inner.model;
    this.dimensions = inner.dimensions;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const started = performance.now();
    let outcome: EmbeddingOutcome = 'error';
    try {
      const vectors = await this.inner.embed(texts, signal);
      outcome = 'success';
      this.metrics.texts.inc({ provider: this.name }, texts.length);
      return vectors;
    } catch (error) {
      if (error instanceof EmbeddingsUnavailableError) outcome = 'unavailable';
      else if (signal?.aborted) outcome = 'aborted';
      throw error;
    } finally {
      const labels = { provider: this.name, outcome };
      this.metrics.requests.inc(labels);
      this.metrics.duration.observe(labels, (performance.now() - started) / 1000);
    }
  }
}

function hasCircuit(provider: EmbeddingProvider): provider is EmbeddingProvider & CircuitStateSource {
  const candidate = provider as Partial<CircuitStateSource>;
  return typeof candidate.onStateChange === 'function' && typeof candidate.state === 'string';
}
