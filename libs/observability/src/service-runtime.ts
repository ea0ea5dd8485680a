import { ConfigError, loadConfig, type XorbConfig } from '@xorb/config-manager';
import type { Registry } from 'prom-client';
import { createLogger, type Logger } from './logger';
import { createMetricsRegistry } from './metrics';
import { ShutdownCoordinator } from './shutdown';

export interface ServiceContext {
  config: XorbConfig;
  logger: Logger;
  registry: Registry;
  shutdown: ShutdownCoordinator;
}

/** sysexits.h EX_CONFIG: the configuration is wrong, restarting will not help. */
export const EXIT_BAD_CONFIG = 78;

/**
 * The start-up every XORB service shares: configuration (refused with every
 * problem named), the JSON logger, the metrics registry and signal handling.
 * `start` wires the service and registers its shutdown steps.
 */
export async function runService(
  service: string,
  start: (context: ServiceContext) => Promise<void>,
): Promise<void> {
  let config: XorbConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    const logger = createLogger({ service, level: 'info' });
    if (error instanceof ConfigError) {
      logger.fatal({ problems: error.problems }, `Refusing to start: ${error.message}`);
      process.exit(EXIT_BAD_CONFIG);
    }
    logger.fatal({ error }, 'Refusing to start: configuration could not be loaded');
    process.exit(EXIT_BAD_CONFIG);
  }

  const logger = createLogger({ service, level: config.logging.level });
  const registry = createMetricsRegistry(service);
  const shutdown = new ShutdownCoordinator({ logger, graceSeconds: config.shutdown.graceSeconds });
  shutdown.listen();
  process.on('unhandledRejection', (reason) =>
    logger.error({ error: reason }, 'Unhandled promise rejection'),
  );

  try {
    await start({ config, logger, registry, shutdown });
  } catch (error) {
    logger.fatal({ error }, 'Start-up failed');
    await shutdown.shutdown('start-up failure');
    process.exit(1);
  }
}
