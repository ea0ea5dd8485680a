import cluster, { type Worker } from 'node:cluster';
import type { ServiceContext } from '@xorb/observability';
import { serveClusterMetrics } from './metrics-source';

/** More crashes than this within the window means something is wrong beyond one process. */
const CRASH_LIMIT = 10;
const CRASH_WINDOW_MS = 60_000;

/**
 * WORKERS > 1: the primary forks that many API processes sharing the port,
 * replaces any that dies, aggregates their metrics, and on SIGTERM/SIGINT lets
 * every one drain before it exits.
 */
export async function runPrimary({ config, logger, shutdown }: ServiceContext): Promise<void> {
  const workers = config.apiService.workers;
  const crashes: number[] = [];
  serveClusterMetrics();

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('exit', (code, signal) => {
      if (shutdown.isShuttingDown) return;
      const now = Date.now();
      crashes.push(now);
      while ((crashes[0] ?? now) < now - CRASH_WINDOW_MS) crashes.shift();
      logger.error(
        { pid: worker.process.pid, code, signal, crashes_last_minute: crashes.length },
        'API process died; replacing it',
      );
      if (crashes.length > CRASH_LIMIT) {
        logger.fatal({ crashes_last_minute: crashes.length }, 'API processes keep dying; stopping');
        void shutdown.shutdown('crash loop').then(() => process.exit(1));
        return;
      }
      fork();
    });
    return worker;
  };

  shutdown.register('api processes', async () => {
    const alive = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && !worker.isDead(),
    );
    await Promise.all(
      alive.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  });

  for (let index = 0; index < workers; index += 1) fork();
  logger.info({ workers, port: config.apiService.port }, 'API primary started its processes');
}
