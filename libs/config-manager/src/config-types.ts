import { type XorbEnv } from './xorb-env';

export type DatabaseSslMode = 'disable' | 'require' | 'verify-full';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
/** local: feature hashing in process (no model, no network); none: findings are stored without embeddings. */
export type EmbeddingsProvider = 'local' | 'none' | 'openai-compatible' | 'ollama';

export interface DatabaseConfig {
  host: string;
  port: number;
  name: string;
  user: string;
  password: string;
  ssl: DatabaseSslMode;
  poolSize: number;
  statementTimeoutMs: number;
  /** Connection URL including the password: never log it. */
  getUrl(): string;
}

export interface RedisConfig {
  /** Connection URL WITHOUT the password (safe to show). */
  url: string;
  keyPrefix: string;
  /** Redis Sentinel: "host:port" of each sentinel and the master's name (REDIS_SENTINELS, REDIS_SENTINEL_MASTER). */
  sentinels: string[];
  sentinelMaster: string;
  /** Redis Cluster: "host:port" seed nodes (REDIS_CLUSTER_NODES). */
  clusterNodes: string[];
  /** The password alone, for Sentinel and Cluster connections: never log it. */
  getPassword(): string | undefined;
  /** Connection URL including the password when one is configured: never log it. */
  getUrl(): string;
}

export interface TemporalConfig {
  /** `host:port`, IPv6 hosts in brackets. */
  address: string;
  namespace: string;
  taskQueue: string;
}

export interface ApiServiceConfig {
  /** X-Forwarded-For hops to trust; 0 trusts none. */
  trustProxyHops: number;
  host: string;
  port: number;
  workers: number;
  requestTimeoutSeconds: number;
  debug: boolean;
  corsOrigins: string[];
  bodyLimitBytes: number;
}

export interface OrchestratorServiceConfig {
  host: string;
  port: number;
}

export interface WorkerServiceConfig {
  host: string;
  port: number;
  concurrency: number;
  maxMemoryBytes: number;
  /** A job running longer than this fails with a clear reason. */
  jobTimeoutSeconds: number;
  /** How often BullMQ looks for jobs whose worker died (and how long a job lock lives). */
  stalledIntervalSeconds: number;
  /** How often the embeddings backfill runs. */
  embeddingsBackfillIntervalSeconds: number;
}

export interface WebhooksConfig {
  maxAttempts: number;
  timeoutMs: number;
  retryBaseMs: number;
  /** CIDRs or host names deliveries may reach even when private (staging/production). */
  allowlist: string[];
  /** Development and test deliver to loopback and private ranges; staging and production only to the allowlist. */
  allowPrivate: boolean;
}

export interface RetentionConfig {
  scansDays: number;
  closedFindingsDays: number;
  reportsDays: number;
  webhookDeliveriesDays: number;
  auditDays: number;
  /** When the purge runs (cron, UTC). */
  purgeCron: string;
}

export interface SecurityConfig {
  jwtSecret: string;
  jwtIssuer: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  apiKeyPepper?: string;
  rateLimit: { windowSeconds: number; maxRequests: number };
  /** How long an API process keeps API key rows; 0 = not at all. */
  apiKeyCacheTtlSeconds: number;
}

export interface ScanningConfig {
  /** CIDRs (bare IPs normalised to /32 or /128) and lower-case host names. */
  allowlist: string[];
  /** Always contains the built-in entries (link-local, cloud metadata, multicast, broadcast). */
  denylist: string[];
  connectTimeoutMs: number;
  portTimeoutMs: number;
  maxConcurrency: number;
  ratePerSecond: number;
  scanTimeoutSeconds: number;
  /** A certificate expiring within this many days is a finding. */
  tlsExpiryWarningDays: number;
  /** DNS servers ("host:port") for resolving and verifying targets; empty means the system's. */
  dnsServers: string[];
}

export interface EmbeddingsConfig {
  provider: EmbeddingsProvider;
  model: string;
  dimensions: number;
  url: string | undefined;
  apiKey: string | undefined;
}

export interface LoggingConfig {
  level: LogLevel;
}

export interface ShutdownConfig {
  graceSeconds: number;
}

export interface DevelopmentConfig {
  /** `XORB_DEV_SEED`: load demo data at start-up. Refused in staging and production. */
  seed: boolean;
}

/** Inputs of the one-off bootstrap command that creates the first tenant and its admin. */
export interface BootstrapConfig {
  tenantSlug: string | undefined;
  tenantName: string | undefined;
  adminEmail: string | undefined;
  /** Secret `bootstrap_admin_password`; never enumerable, never logged. */
  adminPassword?: string;
}

/** The whole, validated configuration. Deeply frozen: any attempt to change it throws. */
export interface XorbConfig {
  env: XorbEnv;
  database: DatabaseConfig;
  redis: RedisConfig;
  temporal: TemporalConfig;
  apiService: ApiServiceConfig;
  orchestratorService: OrchestratorServiceConfig;
  workerService: WorkerServiceConfig;
  security: SecurityConfig;
  scanning: ScanningConfig;
  embeddings: EmbeddingsConfig;
  logging: LoggingConfig;
  shutdown: ShutdownConfig;
  development: DevelopmentConfig;
  bootstrap: BootstrapConfig;
  webhooks: WebhooksConfig;
  retention: RetentionConfig;
}
