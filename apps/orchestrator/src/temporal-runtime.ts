import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '@xorb/observability';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the Temporal SDK's and core's logs through the platform logger. Call once, first. */
export function installTemporalRuntime(logger: Logger): void {
  const temporalLogger = logger.child({ component: 'temporal-sdk' });
  const level = (logger.level.toUpperCase() in LEVELS ? logger.level.toUpperCase() : 'INFO') as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      temporalLogger[LEVELS[entry.level]]({ ...entry.meta }, entry.message);
    }),
    // Core (Rust) logs go to the console in its own format unless forwarded here.
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
}
