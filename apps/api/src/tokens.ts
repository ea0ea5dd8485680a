/** Injection tokens for what the composition root (main.ts) hands to Nest. */
export const CONFIG = Symbol('XorbConfig');
export const LOGGER = Symbol('Logger');
export const METRICS_SOURCE = Symbol('MetricsSource');
/** This process's Prometheus registry, for providers that add their own metrics. */
export const METRICS_REGISTRY = Symbol('MetricsRegistry');
export const READINESS_CHECKS = Symbol('ReadinessChecks');
export const SHUTDOWN = Symbol('ShutdownCoordinator');
export const PG_POOL = Symbol('PgPool');
export const REDIS = Symbol('Redis');
export const TEMPORAL_CLIENT = Symbol('TemporalClient');
export const EMBEDDER = Symbol('EmbeddingProvider');
export const PRODUCERS = Symbol('QueueProducers');
