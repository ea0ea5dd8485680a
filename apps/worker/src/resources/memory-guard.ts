import type { Worker } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import type { DependencyCheck, Logger } from '@xorb/observability';

export interface MemoryGuardOptions {
  limitBytes: number;
  logger: Logger;
  registry: Registry;
  /** Pause above this share of the limit… */
  pauseAt?: number;
  /** …and resume below this one (the gap is the hysteresis). */
  resumeAt?: number;
  intervalMs?: number;
  /** Where the resident set size comes from; tests pass their own reading. */
  readRss?: () => number;
}

/**
 * Resource-aware concurrency: when this process's memory nears WORKER_MAX_MEMORY
 * the workers stop taking jobs (running ones finish), and they resume once memory
 * falls well below it. Shown on /ready (check "memory") and /metrics.
 */
export class MemoryGuard {
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private readonly pauseBytes: number;
  private readonly resumeBytes: number;
  private readonly pausedGauge: Gauge;
  private readonly readRss: () => number;

  constructor(
    private readonly workers: readonly Worker[],
    private readonly options: MemoryGuardOptions,
  ) {
    this.pauseBytes = options.limitBytes * (options.pauseAt ?? 0.9);
    this.resumeBytes = options.limitBytes * (options.resumeAt ?? 0.75);
    this.readRss = options.readRss ?? (() => process.memoryUsage.rss());
    new Gauge({
      name: 'xorb_worker_memory_limit_bytes',
      help: 'WORKER_MAX_MEMORY of this worker process',
      registers: [options.registry],
    }).set(options.limitBytes);
    this.pausedGauge = new Gauge({
      name: 'xorb_worker_paused',
      help: '1 while the worker takes no jobs because memory is near its limit',
      registers: [options.registry],
    });
    this.pausedGauge.set(0);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  start(): void {
    this.timer = setInterval(() => this.check(), this.options.intervalMs ?? 1_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Fails while paused, so /ready says why this worker takes no work. */
  readiness(): DependencyCheck {
    return {
      name: 'memory',
      check: async () => {
        if (this.paused)
          throw new Error(
            `paused: resident memory ${this.readRss()} bytes is near WORKER_MAX_MEMORY ${this.options.limitBytes}`,
          );
      },
    };
  }

  check(): void {
    const rss = this.readRss();
    if (!this.paused && rss >= this.pauseBytes) {
      this.paused = true;
      this.pausedGauge.set(1);
      this.options.logger.warn(
        { rss, limit: this.options.limitBytes },
        'Memory near WORKER_MAX_MEMORY: pausing job intake',
      );
      // true: do not wait for running jobs; they finish on their own while no new ones start.
      for (const worker of this.workers) void worker.pause(true);
    } else if (this.paused && rss <= this.resumeBytes) {
      this.paused = false;
      this.pausedGauge.set(0);
      this.options.logger.info(
        { rss, limit: this.options.limitBytes },
        'Memory back under the resume mark: taking jobs again',
      );
      for (const worker of this.workers) worker.resume();
    }
  }
}
