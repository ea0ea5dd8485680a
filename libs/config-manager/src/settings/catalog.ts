import { type DatabaseSslMode, type EmbeddingsProvider, type LogLevel } from '../config-types';
import { parseBoolean } from '../parsing/parse-boolean';
import { byteSizeBetween } from '../parsing/parse-byte-size';
import { oneOf } from '../parsing/parse-choice';
import { parseCorsOrigin } from '../parsing/parse-cors-origin';
import { parseDatabaseUrl } from '../parsing/parse-database-url';
import { durationSecondsBetween } from '../parsing/parse-duration';
import { parseHost } from '../parsing/parse-host';
import { hostPort } from '../parsing/parse-host-port';
import { parseHttpUrl } from '../parsing/parse-http-url';
import { integerBetween, parsePort } from '../parsing/parse-integer';
import { listOf } from '../parsing/parse-list';
import { parseNetworkTarget } from '../parsing/parse-network-target';
import { parseRedisUrl } from '../parsing/parse-redis-url';
import { cronExpression, displayText, parsePath, tokenText } from '../parsing/parse-text';
import { XORB_ENVS } from '../xorb-env';
import { BUILT_IN_DENYLIST, LOOPBACK_ALLOWLIST } from './built-in-denylist';
import { type SettingDefinition } from './setting-definition';

const HARDENED = <T extends string>(value: T) => ({ staging: value, production: value });
const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const SSL_MODES: readonly DatabaseSslMode[] = ['disable', 'require', 'verify-full'];
const EMBEDDINGS_PROVIDERS: readonly EmbeddingsProvider[] = ['local', 'none', 'openai-compatible', 'ollama'];
const VAULT_PATH = tokenText({
  pattern: /^(?!\/)(?!.*\/\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_.\-/]+(?<!\/)$/,
  expectation: 'must be a path like xorb/production: letters, digits, _ . - and single inner slashes',
});
const GB = 1024 ** 3;
const MB = 1024 ** 2;

/**
 * Every configuration variable the platform reads. Secrets are listed separately in secret-catalog.ts.
 * The order here is the order of listSettings() and of the README table.
 */
export const SETTINGS = {
  // environment
  XORB_ENV: {
    section: 'environment',
    description: 'Environment profile: development, staging, production or test.',
    parse: oneOf(XORB_ENVS),
    default: 'development',
    environmentOnly: true,
  },
  XORB_CONFIG_FILE: {
    section: 'environment',
    description:
      'Optional JSON file of VARIABLE → value pairs, applied over the profile and under the environment.',
    parse: parsePath,
    environmentOnly: true,
  },
  XORB_SECRETS_DIR: {
    section: 'environment',
    description: 'Directory of Docker secret files, one file per secret name.',
    parse: parsePath,
    default: '/run/secrets',
    environmentOnly: true,
  },

  // database
  DATABASE_URL: {
    section: 'database',
    description:
      'postgres://user:password@host:port/name?sslmode=…; the parts it sets override POSTGRES_* and DATABASE_SSL.',
    parse: parseDatabaseUrl,
    sensitiveValue: true,
  },
  POSTGRES_HOST: {
    section: 'database',
    description: 'PostgreSQL host.',
    parse: parseHost,
    default: 'localhost',
    profiles: HARDENED('postgres'),
  },
  POSTGRES_PORT: { section: 'database', description: 'PostgreSQL port.', parse: parsePort, default: '5432' },
  POSTGRES_DB: {
    section: 'database',
    description: 'Database name.',
    parse: tokenText({ maxLength: 63 }),
    default: 'xorb',
  },
  POSTGRES_USER: {
    section: 'database',
    description: 'Database user.',
    parse: tokenText({ maxLength: 63 }),
    default: 'xorb',
  },
  DATABASE_SSL: {
    section: 'database',
    description: 'TLS to PostgreSQL: disable, require or verify-full.',
    parse: oneOf(SSL_MODES),
    default: 'disable',
  },
  DATABASE_POOL_SIZE: {
    section: 'database',
    description: 'Connections per process pool (1-200).',
    parse: integerBetween(1, 200),
    default: '10',
  },
  DATABASE_STATEMENT_TIMEOUT_MS: {
    section: 'database',
    description: 'statement_timeout for every connection, in milliseconds.',
    parse: integerBetween(1, 3_600_000),
    default: '30000',
  },

  // redis
  REDIS_URL: {
    section: 'redis',
    description: 'redis://[user@]host:port[/db] or rediss:// for TLS; overrides REDIS_HOST and REDIS_PORT.',
    parse: parseRedisUrl,
    sensitiveValue: true,
  },
  REDIS_HOST: {
    section: 'redis',
    description: 'Redis host (when REDIS_URL is not set).',
    parse: parseHost,
    default: 'localhost',
    profiles: HARDENED('redis'),
  },
  REDIS_PORT: {
    section: 'redis',
    description: 'Redis port (when REDIS_URL is not set).',
    parse: parsePort,
    default: '6379',
  },
  REDIS_KEY_PREFIX: {
    section: 'redis',
    description: 'Prefix of every Redis key and BullMQ queue (keys are `<prefix>:…`).',
    parse: tokenText({ maxLength: 64 }),
    default: 'xorb',
  },

  // temporal
  REDIS_SENTINELS: {
    section: 'redis',
    description:
      'Redis Sentinel nodes (host:port, comma-separated); with REDIS_SENTINEL_MASTER, used instead of REDIS_URL.',
    parse: listOf(hostPort(26379)),
    default: '',
    list: true,
  },
  REDIS_SENTINEL_MASTER: {
    section: 'redis',
    description: 'Name of the master the sentinels monitor.',
    parse: tokenText({ maxLength: 100 }),
    default: 'mymaster',
  },
  REDIS_CLUSTER_NODES: {
    section: 'redis',
    description:
      'Redis Cluster seed nodes (host:port, comma-separated); used instead of REDIS_URL. Queue keys use a hash tag.',
    parse: listOf(hostPort(6379)),
    default: '',
    list: true,
  },
  TEMPORAL_HOST: {
    section: 'temporal',
    description: 'Temporal frontend as host:port ([ipv6]:port for IPv6; port 7233 when omitted).',
    parse: hostPort(7233),
    default: 'localhost:7233',
    profiles: HARDENED('temporal:7233'),
  },
  TEMPORAL_NAMESPACE: {
    section: 'temporal',
    description: 'Temporal namespace.',
    parse: tokenText(),
    default: 'default',
  },
  TEMPORAL_TASK_QUEUE: {
    section: 'temporal',
    description: 'Task queue the orchestrator polls.',
    parse: tokenText(),
    default: 'xorb-scans',
  },

  // api
  API_HOST: {
    section: 'apiService',
    description: 'Address the API binds to.',
    parse: parseHost,
    default: '0.0.0.0',
    profiles: { test: '127.0.0.1' },
  },
  API_PORT: { section: 'apiService', description: 'API port.', parse: parsePort, default: '8000' },
  TRUST_PROXY_HOPS: {
    section: 'apiService',
    description:
      'Reverse proxies in front of the API whose X-Forwarded-For is trusted (1 behind the bundled nginx); the client address feeds rate limits and the audit log.',
    parse: integerBetween(0, 5),
    default: '0',
  },
  WORKERS: {
    section: 'apiService',
    description: 'API worker processes (1-64).',
    parse: integerBetween(1, 64),
    default: '1',
  },
  TIMEOUT: {
    section: 'apiService',
    description: 'Request timeout in seconds (60, 60s or 2m).',
    parse: durationSecondsBetween(1, 3600),
    default: '30',
  },
  DEBUG: {
    section: 'apiService',
    description: 'Debug mode (true/false, 1/0, yes/no). Refused in staging and production.',
    parse: parseBoolean,
    default: 'false',
  },
  CORS_ORIGINS: {
    section: 'apiService',
    description: 'Comma-separated allowed browser origins; "*" is refused in staging and production.',
    parse: listOf(parseCorsOrigin),
    default: '',
    list: true,
  },
  API_BODY_LIMIT: {
    section: 'apiService',
    description: 'Largest request body, e.g. 1mb or 512k.',
    parse: byteSizeBetween(1024, GB),
    default: '1mb',
  },

  // orchestrator
  ORCHESTRATOR_HOST: {
    section: 'orchestratorService',
    description: 'Address the orchestrator health and metrics server binds to.',
    parse: parseHost,
    default: '0.0.0.0',
    profiles: { test: '127.0.0.1' },
  },
  ORCHESTRATOR_PORT: {
    section: 'orchestratorService',
    description: 'Orchestrator health and metrics port.',
    parse: parsePort,
    default: '8001',
  },

  // worker
  WORKER_HOST: {
    section: 'workerService',
    description: 'Address the worker health and metrics server binds to.',
    parse: parseHost,
    default: '0.0.0.0',
    profiles: { test: '127.0.0.1' },
  },
  WORKER_PORT: {
    section: 'workerService',
    description: 'Worker health and metrics port.',
    parse: parsePort,
    default: '8002',
  },
  WORKER_CONCURRENCY: {
    section: 'workerService',
    description: 'Jobs processed at once per worker (1-256).',
    parse: integerBetween(1, 256),
    default: '4',
  },
  WORKER_MAX_MEMORY: {
    section: 'workerService',
    description: 'Memory limit per worker, Docker-style: 512m, 1g, 256M, 1.5G.',
    parse: byteSizeBetween(16 * MB, 1024 * GB),
    default: '512m',
  },
  WORKER_JOB_TIMEOUT: {
    section: 'workerService',
    description: 'Time limit of one job (300, 300s, 5m); a job past it fails with a clear reason.',
    parse: durationSecondsBetween(1, 86_400),
    default: '300',
  },
  WORKER_STALLED_INTERVAL: {
    section: 'workerService',
    description:
      'How soon a job whose worker died is picked up again (job lock lifetime and stalled check interval).',
    parse: durationSecondsBetween(1, 3600),
    default: '30',
  },
  EMBEDDINGS_BACKFILL_INTERVAL: {
    section: 'workerService',
    description: 'How often the worker embeds findings stored without an embedding.',
    parse: durationSecondsBetween(10, 86_400),
    default: '300',
  },

  // webhooks
  WEBHOOK_MAX_ATTEMPTS: {
    section: 'webhooks',
    description: 'Delivery attempts before a webhook delivery is dead-lettered.',
    parse: integerBetween(1, 50),
    default: '8',
  },
  WEBHOOK_TIMEOUT_MS: {
    section: 'webhooks',
    description: 'How long one delivery attempt may take, in milliseconds.',
    parse: integerBetween(100, 120_000),
    default: '10000',
  },
  WEBHOOK_RETRY_BASE_MS: {
    section: 'webhooks',
    description: 'Ceiling of the first retry delay; it doubles per attempt (full jitter), up to an hour.',
    parse: integerBetween(10, 3_600_000),
    default: '5000',
  },
  WEBHOOK_ALLOWLIST: {
    section: 'webhooks',
    description:
      'CIDRs or host names webhooks may be delivered to although private (staging/production refuse private, loopback and link-local otherwise).',
    parse: listOf(parseNetworkTarget),
    default: '',
    list: true,
  },

  // retention
  RETENTION_SCANS_DAYS: {
    section: 'retention',
    description: 'Days a finished scan is kept.',
    parse: integerBetween(1, 3650),
    default: '180',
  },
  RETENTION_CLOSED_FINDINGS_DAYS: {
    section: 'retention',
    description: 'Days a resolved or false-positive finding is kept after it was last seen.',
    parse: integerBetween(1, 3650),
    default: '365',
  },
  RETENTION_REPORTS_DAYS: {
    section: 'retention',
    description: 'Days a generated report is kept.',
    parse: integerBetween(1, 3650),
    default: '30',
  },
  RETENTION_WEBHOOK_DELIVERIES_DAYS: {
    section: 'retention',
    description: 'Days the webhook delivery log is kept.',
    parse: integerBetween(1, 3650),
    default: '30',
  },
  RETENTION_AUDIT_DAYS: {
    section: 'retention',
    description: 'Days audit records are kept.',
    parse: integerBetween(30, 3650),
    default: '365',
  },
  RETENTION_PURGE_CRON: {
    section: 'retention',
    description: 'When the retention purge runs (cron, UTC).',
    parse: cronExpression,
    default: '15 3 * * *',
  },

  // security
  JWT_ISSUER: {
    section: 'security',
    description: 'iss claim of issued tokens.',
    parse: tokenText(),
    default: 'xorb',
  },
  ACCESS_TOKEN_TTL: {
    section: 'security',
    description: 'Access token lifetime (seconds, or 15m, 1h…; at most 1d).',
    parse: durationSecondsBetween(1, 86_400),
    default: '15m',
  },
  REFRESH_TOKEN_TTL: {
    section: 'security',
    description: 'Refresh token lifetime (seconds, or 7d…; at most 90d); longer than ACCESS_TOKEN_TTL.',
    parse: durationSecondsBetween(60, 90 * 86_400),
    default: '7d',
  },
  RATE_LIMIT_WINDOW_SECONDS: {
    section: 'security',
    description: 'Rate-limit window (seconds, or 1m…).',
    parse: durationSecondsBetween(1, 86_400),
    default: '60',
  },
  RATE_LIMIT_MAX_REQUESTS: {
    section: 'security',
    description: 'Requests allowed per client and window.',
    parse: integerBetween(1, 1_000_000),
    default: '100',
  },
  API_KEY_CACHE_TTL: {
    section: 'security',
    description:
      'How long each API process keeps an API key row (seconds, or 1m…; at most 5m); 0 disables. Revocation reaches every process at once via Redis; hash, expiry and revocation are checked on every request.',
    parse: durationSecondsBetween(0, 300),
    default: '5',
  },

  // scanning
  SCAN_ALLOWLIST: {
    section: 'scanning',
    description:
      'CIDRs or host names that may be scanned without ownership proof. Loopback is refused in staging and production.',
    parse: listOf(parseNetworkTarget),
    default: '',
    profiles: { development: LOOPBACK_ALLOWLIST.join(','), test: LOOPBACK_ALLOWLIST.join(',') },
    list: true,
  },
  SCAN_DENYLIST: {
    section: 'scanning',
    description:
      'CIDRs or host names never scanned. Entries are ADDED to the built-in ones shown as default.',
    parse: listOf(parseNetworkTarget),
    default: BUILT_IN_DENYLIST.join(','),
    list: true,
  },
  SCAN_CONNECT_TIMEOUT_MS: {
    section: 'scanning',
    description: 'TCP connect timeout per probe, in milliseconds.',
    parse: integerBetween(1, 60_000),
    default: '3000',
  },
  SCAN_PORT_TIMEOUT_MS: {
    section: 'scanning',
    description:
      'Time budget per port (connect and fingerprint), in milliseconds; at least the connect timeout.',
    parse: integerBetween(1, 300_000),
    default: '5000',
  },
  SCAN_MAX_CONCURRENCY: {
    section: 'scanning',
    description: 'Probes in flight at once per scan.',
    parse: integerBetween(1, 1024),
    default: '64',
  },
  SCAN_RATE_PER_SECOND: {
    section: 'scanning',
    description: 'New connections per second per scan.',
    parse: integerBetween(1, 10_000),
    default: '100',
  },
  SCAN_TIMEOUT_SECONDS: {
    section: 'scanning',
    description: 'Longest a whole scan may run (seconds, or 30m, 2h…).',
    parse: durationSecondsBetween(1, 7 * 86_400),
    default: '3600',
  },

  // embeddings
  EMBEDDINGS_PROVIDER: {
    section: 'embeddings',
    description:
      'local (feature hashing in process, no model download), openai-compatible (OpenAI, NVIDIA NIM, TEI, …), ollama, or none.',
    parse: oneOf(EMBEDDINGS_PROVIDERS),
    default: 'local',
  },
  EMBEDDINGS_MODEL: {
    section: 'embeddings',
    description: 'Embedding model name.',
    parse: tokenText(),
    default: 'all-minilm',
  },
  EMBEDDINGS_DIMENSIONS: {
    section: 'embeddings',
    description: 'Vector dimensions (pgvector HNSW indexes allow at most 2000).',
    parse: integerBetween(1, 2000),
    default: '384',
  },
  EMBEDDINGS_URL: {
    section: 'embeddings',
    description: 'Base URL of the embeddings API; required unless EMBEDDINGS_PROVIDER is none.',
    parse: parseHttpUrl,
  },

  // logging
  LOG_LEVEL: {
    section: 'logging',
    description: 'trace, debug, info, warn, error or fatal (any case).',
    parse: oneOf(LOG_LEVELS, { ignoreCase: true }),
    default: 'info',
    profiles: { development: 'debug', test: 'warn' },
  },

  // shutdown
  SHUTDOWN_GRACE_SECONDS: {
    section: 'shutdown',
    description: 'Seconds allowed for a graceful shutdown after SIGTERM/SIGINT.',
    parse: integerBetween(1, 300),
    default: '10',
    profiles: HARDENED('25'),
  },

  // development
  SCAN_TLS_EXPIRY_WARNING_DAYS: {
    section: 'scanning',
    description: 'A TLS certificate expiring within this many days is reported as a finding.',
    parse: integerBetween(1, 365),
    default: '30',
  },
  SCAN_DNS_SERVERS: {
    section: 'scanning',
    description:
      'DNS servers (host or host:port, comma-separated) for resolving and verifying targets; empty uses the system resolver.',
    parse: listOf(hostPort(53)),
    default: '',
    list: true,
  },

  // bootstrap (the one-off command that creates the first tenant and admin)
  XORB_BOOTSTRAP_TENANT: {
    section: 'bootstrap',
    description: 'Slug of the first tenant, created by `npm run bootstrap` (lower-case letters, digits, -).',
    parse: tokenText({
      pattern: /^[a-z0-9][a-z0-9-]{1,62}$/,
      expectation: 'must be 2-63 lower-case letters, digits or -, starting with a letter or digit',
    }),
  },
  XORB_BOOTSTRAP_TENANT_NAME: {
    section: 'bootstrap',
    description: 'Display name of the first tenant (defaults to the slug).',
    parse: displayText({ maxLength: 200 }),
  },
  XORB_BOOTSTRAP_ADMIN_EMAIL: {
    section: 'bootstrap',
    description: 'E-mail of the first admin user; the password is the secret bootstrap_admin_password.',
    parse: tokenText({
      pattern: /^[^@\s]+@[^@\s]+$/,
      expectation: 'must be an e-mail address',
      maxLength: 254,
    }),
  },

  XORB_DEV_SEED: {
    section: 'development',
    description: 'Load demo data at start-up. Refused in staging and production.',
    parse: parseBoolean,
    default: 'false',
  },

  // vault
  VAULT_ADDR: {
    section: 'vault',
    description:
      'HashiCorp Vault address; when set, secrets are also read from Vault KV v2 (await loadConfig()).',
    parse: parseHttpUrl,
  },
  VAULT_KV_MOUNT: {
    section: 'vault',
    description: 'Mount path of the KV v2 engine.',
    parse: VAULT_PATH,
    default: 'secret',
  },
  VAULT_SECRET_PATH: {
    section: 'vault',
    description: 'Path of the XORB secret inside the mount.',
    parse: VAULT_PATH,
    default: 'xorb/development',
    profiles: { staging: 'xorb/staging', production: 'xorb/production', test: 'xorb/test' },
  },
  VAULT_TOKEN_FILE: {
    section: 'vault',
    description: 'File holding the Vault token (default: vault_token in XORB_SECRETS_DIR).',
    parse: parsePath,
    default: '/run/secrets/vault_token',
  },
  VAULT_NAMESPACE: {
    section: 'vault',
    description: 'Vault Enterprise namespace, sent as X-Vault-Namespace.',
    parse: tokenText(),
  },
  VAULT_TIMEOUT_MS: {
    section: 'vault',
    description: 'How long to wait for Vault, in milliseconds.',
    parse: integerBetween(100, 60_000),
    default: '5000',
  },
} as const satisfies Record<string, SettingDefinition<unknown>>;

export type Settings = typeof SETTINGS;
export type SettingName = keyof Settings;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}
