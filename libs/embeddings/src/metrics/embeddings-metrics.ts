import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type EmbeddingOutcome = 'success' | 'error' | 'unavailable' | 'aborted';

/** The embeddings metrics of one registry. */
export interface EmbeddingsMetrics {
  requests: Counter<'provider' | 'outcome'>;
  texts: Counter<'provider'>;
  duration: Histogram<'provider' | 'outcome'>;
  circuitState: Gauge<'provider'>;
}

const byRegistry = new WeakMap<Registry, EmbeddingsMetrics>();

/** The embeddings metrics registered in `registry`, created on first use. */
export function embeddingsMetrics(registry: Registry): EmbeddingsMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const metrics: EmbeddingsMetrics = {
    requests: new Counter({
      name: 'xorb_embeddings_requests_total',
      help: 'Embedding calls by provider and outcome (success, error, unavailable = circuit open, aborted).',
      labelNames: ['provider', 'outcome'],
      registers,
    }),
    texts: new Counter({
      name: 'xorb_embeddings_texts_total',
      help: 'Texts embedded successfully, by provider.',
      labelNames: ['provider'],
      registers,
    }),
    duration: new Histogram({
      name: 'xorb_embeddings_request_duration_seconds',
      help: 'Duration of embedding calls (all batches and retries), by provider and outcome.',
      labelNames: ['provider', 'outcome'],
      buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    circuitState: new Gauge({
      name: 'xorb_embeddings_circuit_state',
      help: 'Circuit breaker state of a remote embedding provider: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider'],
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
