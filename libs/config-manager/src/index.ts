export { XORB_ENVS, type XorbEnv } from './xorb-env';
export type {
  ApiServiceConfig,
  DatabaseConfig,
  DatabaseSslMode,
  DevelopmentConfig,
  EmbeddingsConfig,
  EmbeddingsProvider,
  LogLevel,
  LoggingConfig,
  OrchestratorServiceConfig,
  RedisConfig,
  ScanningConfig,
  SecurityConfig,
  ShutdownConfig,
  TemporalConfig,
  WorkerServiceConfig,
  XorbConfig,
} from './config-types';
export { ConfigError, type ConfigProblem } from './config-error';
export { getConfig, loadConfig, resetConfigForTests, type LoadOptions } from './load-config';
export { redactConfig } from './redact-config';
export { listSettings, type SettingDescription } from './settings/list-settings';
