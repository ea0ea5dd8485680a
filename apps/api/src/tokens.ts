/** Injection tokens for what the composition root (main.ts) hands to Nest. */
export const CONFIG = Symbol('XorbConfig');
export const LOGGER = Symbol('Logger');
export const METRICS_SOURCE = Symbol('MetricsSource');
export const READINESS_CHECKS = Symbol('ReadinessChecks');
export const SHUTDOWN = Symbol('ShutdownCoordinator');
export const PG_POOL = Symbol('PgPool');
export const REDIS = Symbol('Redis');
export const TEMPORAL_CLIENT = Symbol('TemporalClient');
export const EMBEDDER = Symbol('EmbeddingProvider');
export const PRODUCERS = Symbol('QueueProducers');
