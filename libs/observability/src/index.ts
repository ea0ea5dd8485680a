export { createLogger, REDACTED_PATHS, type CreateLoggerOptions, type Logger } from './logger';
export { createMetricsRegistry } from './metrics';
export {
  checkReadiness,
  type DependencyCheck,
  type DependencyStatus,
  type ReadinessReport,
} from './readiness';
export { ShutdownCoordinator, type ShutdownOptions, type ShutdownStep } from './shutdown';
export { startOpsServer, closeServer, readinessResponse, type OpsServerOptions } from './ops-server';
export { runService, EXIT_BAD_CONFIG, type ServiceContext } from './service-runtime';
