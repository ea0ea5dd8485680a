import { CircuitBreakingEmbedder, type BreakerLogger } from './breaker/circuit-breaking-embedder';
import { type Registry } from 'prom-client';
import { type EmbeddingProvider } from './embedding-provider';
import { LocalHashingEmbedder } from './local/local-hashing-embedder';
import { instrumentEmbeddings } from './metrics/instrument-embeddings';
import {
  OpenAiCompatibleEmbedder,
  type OpenAiCompatibleEmbedderOptions,
} from './openai/openai-compatible-embedder';

/** `ollama` is an alias of `openai-compatible`: Ollama serves the same API under `/v1`. */
export type EmbeddingsProviderKind = 'local' | 'openai-compatible' | 'ollama' | 'none';

/** The shape of `XorbConfig['embeddings']` that this library reads. */
export interface EmbeddingsSettings {
  provider: EmbeddingsProviderKind;
  model: string;
  dimensions: number;
  url: string | undefined;
  apiKey?: string | undefined;
}

export interface CreateEmbeddingProviderOptions extends Pick<
  OpenAiCompatibleEmbedderOptions,
  | 'sendDimensions'
  | 'timeoutMs'
  | 'batchSize'
  | 'maxRetries'
  | 'retryBaseDelayMs'
  | 'retryMaxDelayMs'
  | 'maxRetryAfterMs'
  | 'extraBody'
  | 'fetch'
> {
  logger: BreakerLogger;
  /** When given, the provider's calls and circuit state are counted here (see instrumentEmbeddings). */
  registry?: Registry;
  /** Circuit breaker around remote providers; defaults as in CircuitBreakingEmbedder. */
  halfOpenAfterMs?: number;
  consecutiveFailures?: number;
}

/**
 * The configured provider: the local hashing embedder, a remote OpenAI-compatible one
 * wrapped in a circuit breaker, or undefined when embeddings are turned off (`none`);
 * instrumented with Prometheus metrics when a registry is given.
 */
export function createEmbeddingProvider(
  config: EmbeddingsSettings,
  options: CreateEmbeddingProviderOptions,
): EmbeddingProvider | undefined {
  const provider = configuredProvider(config, options);
  return provider && options.registry ? instrumentEmbeddings(provider, options.registry) : provider;
}

function configuredProvider(
  config: EmbeddingsSettings,
  options: CreateEmbeddingProviderOptions,
): EmbeddingProvider | undefined {
  const { logger, registry: _registry, halfOpenAfterMs, consecutiveFailures, ...remote } = options;
  switch (config.provider) {
    case 'none':
      logger.info({ provider: 'none' }, 'Embeddings are turned off; similarity search is unavailable');
      return undefined;
    case 'local': {
      const local = new LocalHashingEmbedder({ dimensions: config.dimensions });
      logger.info(
        { provider: local.name, model: local.model, dimensions: local.dimensions },
        'Embeddings computed in process by feature hashing',
      );
      return local;
    }
    case 'openai-compatible':
    case 'ollama': {
      if (config.url === undefined) {
        throw new TypeError(`The embeddings URL is required for the ${config.provider} provider`);
      }
      const inner = new OpenAiCompatibleEmbedder({
        ...remote,
        url: config.provider === 'ollama' ? ollamaOpenAiBase(config.url) : config.url,
        model: config.model,
        dimensions: config.dimensions,
        apiKey: config.apiKey,
        name: config.provider,
      });
      logger.info(
        { provider: inner.name, model: inner.model, dimensions: inner.dimensions, endpoint: inner.endpoint },
        'Embeddings requested from a remote provider behind a circuit breaker',
      );
      return new CircuitBreakingEmbedder(inner, { logger, halfOpenAfterMs, consecutiveFailures });
    }
    default: {
      const unknown: never = config.provider;
      throw new TypeError(`Unknown embeddings provider ${String(unknown)}`);
    }
  }
}

/** Ollama's OpenAI API lives under `/v1`; a bare `http://ollama:11434` gets it appended. */
function ollamaOpenAiBase(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/v1';
    return parsed.toString();
  } catch {
    return url; // the embedder reports the invalid URL
  }
}
