import { type XorbConfig } from '../config-types';
import { SECRET_NAMES, type SecretName } from '../settings/secret-catalog';
import { type BuildContext } from './build-context';
import { buildBootstrapConfig } from './bootstrap-section';
import { buildDatabaseConfig } from './database-section';
import { buildEmbeddingsConfig } from './embeddings-section';
import { buildRedisConfig } from './redis-section';
import { buildScanningConfig } from './scanning-section';
import { buildSecurityConfig } from './security-section';
import {
  buildApiServiceConfig,
  buildOrchestratorServiceConfig,
  buildWorkerServiceConfig,
} from './service-sections';

export interface BuiltConfig {
  config: XorbConfig;
  /** The secret values the config ended up with, for the hardened-environment rules. */
  secretsInUse: Record<SecretName, string | undefined>;
}

/** Assembles every section from parsed settings and secrets. Problems go to context.problems. */
export function buildConfig(context: BuildContext): BuiltConfig {
  const { settings } = context;
  const redis = buildRedisConfig(context);
  const config: XorbConfig = {
    env: context.env,
    database: buildDatabaseConfig(context),
    redis: redis.config,
    temporal: {
      address: settings.read('TEMPORAL_HOST').address,
      namespace: settings.read('TEMPORAL_NAMESPACE'),
      taskQueue: settings.read('TEMPORAL_TASK_QUEUE'),
    },
    apiService: buildApiServiceConfig(context),
    orchestratorService: buildOrchestratorServiceConfig(context),
    workerService: buildWorkerServiceConfig(context),
    security: buildSecurityConfig(context),
    scanning: buildScanningConfig(context),
    embeddings: buildEmbeddingsConfig(context),
    logging: { level: settings.read('LOG_LEVEL') },
    shutdown: { graceSeconds: settings.read('SHUTDOWN_GRACE_SECONDS') },
    development: { seed: settings.read('XORB_DEV_SEED') },
    bootstrap: buildBootstrapConfig(context),
    webhooks: {
      maxAttempts: settings.read('WEBHOOK_MAX_ATTEMPTS'),
      timeoutMs: settings.read('WEBHOOK_TIMEOUT_MS'),
      retryBaseMs: settings.read('WEBHOOK_RETRY_BASE_MS'),
      allowlist: settings.read('WEBHOOK_ALLOWLIST'),
      allowPrivate: context.env === 'development' || context.env === 'test',
    },
    retention: {
      scansDays: settings.read('RETENTION_SCANS_DAYS'),
      closedFindingsDays: settings.read('RETENTION_CLOSED_FINDINGS_DAYS'),
      reportsDays: settings.read('RETENTION_REPORTS_DAYS'),
      webhookDeliveriesDays: settings.read('RETENTION_WEBHOOK_DELIVERIES_DAYS'),
      auditDays: settings.read('RETENTION_AUDIT_DAYS'),
      purgeCron: settings.read('RETENTION_PURGE_CRON'),
    },
  };
  const secretsInUse: Record<SecretName, string | undefined> = {
    postgres_password: config.database.password,
    redis_password: redis.password,
    jwt_secret: config.security.jwtSecret,
    api_key_pepper: config.security.apiKeyPepper,
    embeddings_api_key: config.embeddings.apiKey,
    bootstrap_admin_password: config.bootstrap.adminPassword,
  };
  if (Object.keys(secretsInUse).length !== SECRET_NAMES.length)
    throw new Error('secretsInUse misses a secret');
  return { config, secretsInUse };
}
