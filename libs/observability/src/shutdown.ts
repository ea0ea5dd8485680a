import type { Logger } from 'pino';

export interface ShutdownStep {
  name: string;
  run(): Promise<void> | void;
}

export interface ShutdownOptions {
  logger: Logger;
  graceSeconds: number;
  /** Called with the exit code once every step ran (or the grace ran out). */
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

/**
 * Runs registered steps in order on SIGTERM/SIGINT, within the configured grace.
 * Steps registered first run first: stop taking work, drain, then close clients.
 * Exits 0 when everything closed in time, 1 when the grace ran out.
 */
export class ShutdownCoordinator {
  private readonly steps: ShutdownStep[] = [];
  private running: Promise<number> | undefined;
  private readonly listeners = new Map<NodeJS.Signals, () => void>();

  constructor(private readonly options: ShutdownOptions) {}

  register(name: string, run: ShutdownStep['run']): void {
    this.steps.push({ name, run });
  }

  get isShuttingDown(): boolean {
    return this.running !== undefined;
  }

  listen(): void {
    for (const signal of this.options.signals ?? ['SIGTERM', 'SIGINT']) {
      const listener = (): void => {
        void this.shutdown(signal).then((code) => (this.options.exit ?? process.exit)(code));
      };
      this.listeners.set(signal, listener);
      process.once(signal, listener);
    }
  }

  /** Idempotent: a second signal waits for the first shutdown. */
  shutdown(reason: string): Promise<number> {
    this.running ??= this.runSteps(reason);
    return this.running;
  }

  private async runSteps(reason: string): Promise<number> {
    const { logger, graceSeconds } = this.options;
    for (const [signal, listener] of this.listeners) process.removeListener(signal, listener);
    const started = Date.now();
    logger.info({ reason, grace_seconds: graceSeconds }, 'Shutting down');
    let timer: NodeJS.Timeout | undefined;
    const graceExpired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), graceSeconds * 1000);
      timer.unref();
    });
    const outcome = await Promise.race([this.runAll(), graceExpired]);
    clearTimeout(timer);
    const duration = (Date.now() - started) / 1000;
    if (outcome === 'expired') {
      logger.error(
        { duration, grace_seconds: graceSeconds },
        'Shutdown grace expired before every step finished',
      );
      return 1;
    }
    logger.info({ duration }, 'Shutdown complete');
    return 0;
  }

  private async runAll(): Promise<'done'> {
    for (const step of this.steps) {
      try {
        await step.run();
      } catch (error) {
        this.options.logger.warn({ step: step.name, error }, 'Shutdown step failed; continuing');
      }
    }
    return 'done';
  }
}
