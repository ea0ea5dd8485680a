import { hostname } from 'node:os';
import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Field paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  '*.password',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

export interface CreateLoggerOptions {
  service: string;
  level: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read lines back. */
  destination?: pino.DestinationStream;
}

/**
 * The platform's one logger: JSON lines shaped as
 * {"timestamp","level":"INFO","service","container_id","message",...fields}.
 */
export function createLogger({ service, level, destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level,
    messageKey: 'message',
    errorKey: 'error',
    base: { service, container_id: hostname() },
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
    formatters: {
      level: (label) => ({ level: label.toUpperCase() }),
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
