export { type EmbeddingProvider } from './embedding-provider';
export {
  EmbeddingError,
  EmbeddingProviderError,
  EmbeddingsUnavailableError,
  type EmbeddingFailureCode,
  type EmbeddingProviderErrorDetails,
} from './errors';
export {
  LocalHashingEmbedder,
  LOCAL_HASHING_MODEL,
  type LocalHashingEmbedderOptions,
} from './local/local-hashing-embedder';
export {
  OpenAiCompatibleEmbedder,
  type OpenAiCompatibleEmbedderOptions,
} from './openai/openai-compatible-embedder';
export {
  CircuitBreakingEmbedder,
  type BreakerLogger,
  type CircuitBreakingEmbedderOptions,
  type CircuitStateName,
  type CircuitStateSource,
} from './breaker/circuit-breaking-embedder';
export {
  createEmbeddingProvider,
  type CreateEmbeddingProviderOptions,
  type EmbeddingsProviderKind,
  type EmbeddingsSettings,
} from './create-embedding-provider';
export { instrumentEmbeddings } from './metrics/instrument-embeddings';
export {
  embeddingsMetrics,
  type EmbeddingOutcome,
  type EmbeddingsMetrics,
} from './metrics/embeddings-metrics';
export { toPgVector } from './pg-vector';
export { findingEmbeddingText, type FindingText } from './finding-embedding-text';
