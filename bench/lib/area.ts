import type { Row } from './table';

export interface AreaContext {
  /** Progress lines on stderr, so stdout stays the table. */
  log(message: string): void;
  /** Seconds each autocannon run lasts (BENCH_DURATION, default 5). */
  durationSeconds: number;
  /** autocannon connections (BENCH_CONNECTIONS, default 20). */
  connections: number;
  /** Scales job and workflow counts (BENCH_SCALE, default 1). */
  scale: number;
}

export type Area = (context: AreaContext) => Promise<Row[]>;

export const AREAS = ['api', 'worker', 'orchestrator', 'vector', 'images'] as const;
export type AreaName = (typeof AREAS)[number];
