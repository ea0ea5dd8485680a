import {
  type ApiServiceConfig,
  type OrchestratorServiceConfig,
  type WorkerServiceConfig,
} from '../config-types';
import { type BuildContext } from './build-context';

export function buildApiServiceConfig({ settings }: BuildContext): ApiServiceConfig {
  return {
    host: settings.read('API_HOST'),
    port: settings.read('API_PORT'),
    workers: settings.read('WORKERS'),
    trustProxyHops: settings.read('TRUST_PROXY_HOPS'),
    requestTimeoutSeconds: settings.read('TIMEOUT'),
    debug: settings.read('DEBUG'),
    corsOrigins: settings.read('CORS_ORIGINS'),
    bodyLimitBytes: settings.read('API_BODY_LIMIT'),
  };
}

export function buildOrchestratorServiceConfig({ settings }: BuildContext): OrchestratorServiceConfig {
  return { host: settings.read('ORCHESTRATOR_HOST'), port: settings.read('ORCHESTRATOR_PORT') };
}

export function buildWorkerServiceConfig({ settings }: BuildContext): WorkerServiceConfig {
  return {
    host: settings.read('WORKER_HOST'),
    port: settings.read('WORKER_PORT'),
    concurrency: settings.read('WORKER_CONCURRENCY'),
    maxMemoryBytes: settings.read('WORKER_MAX_MEMORY'),
    jobTimeoutSeconds: settings.read('WORKER_JOB_TIMEOUT'),
    stalledIntervalSeconds: settings.read('WORKER_STALLED_INTERVAL'),
    embeddingsBackfillIntervalSeconds: settings.read('EMBEDDINGS_BACKFILL_INTERVAL'),
  };
}
