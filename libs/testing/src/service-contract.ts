import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port';
import { ProxiedDependencies, type Dependency } from './proxied-dependencies';
import { ServiceProcess, waitForHttp, type XorbApp } from './service-process';

export interface ServiceContractOptions {
  app: XorbApp;
  /** The variable that sets the service's HTTP port (API_PORT, ...). */
  portVariable: string;
  dependencies: readonly Dependency[];
  /** Readiness checks that are not dependencies one can cut (e.g. the worker's memory guard). */
  otherChecks?: readonly string[];
  /** Extra suites that run against the same live process. */
  extra?: (context: () => RunningService) => void;
}

export interface RunningService {
  process: ServiceProcess;
  baseUrl: string;
  dependencies: ProxiedDependencies;
  taskQueue: string;
  env: Record<string, string>;
}

const GRACE_SECONDS = 10;

/**
 * The contract every XORB service keeps (ARCHITECTURE.md, "Every app has"),
 * checked against a real process talking to real PostgreSQL, Redis and Temporal.
 */
export function describeServiceContract(options: ServiceContractOptions): void {
  describe(`${options.app} service contract`, () => {
    let running: RunningService | undefined;
    const current = (): RunningService => {
      if (!running) throw new Error(`${options.app} is not running`);
      return running;
    };

    beforeAll(async () => {
      const dependencies = await ProxiedDependencies.start();
      const port = await freePort();
      const taskQueue = `xorb-test-${randomUUID()}`;
      const env = {
        ...dependencies.env,
        XORB_ENV: 'test',
        LOG_LEVEL: 'info',
        [options.portVariable]: String(port),
        TEMPORAL_TASK_QUEUE: taskQueue,
        REDIS_KEY_PREFIX: `xorb-test-${taskQueue.slice(-8)}`,
        SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
      };
      const process = ServiceProcess.start(options.app, env);
      running = { process, baseUrl: `http://127.0.0.1:${port}`, dependencies, taskQueue, env };
      await waitForHttp(`${running.baseUrl}/health`);
    });

    afterAll(async () => {
      running?.process.kill();
      await running?.dependencies.stop();
    });

    it('answers /health with 200 without checking dependencies', async () => {
      const response = await fetch(`${current().baseUrl}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', service: options.app });
    });

    it('answers /ready with 200 once its dependencies answer', async () => {
      const response = await waitForHttp(`${current().baseUrl}/ready`, 200);
      const body = (await response.json()) as { checks: Record<string, { status: string }> };
      expect(Object.keys(body.checks).sort()).toEqual(
        [...options.dependencies, ...(options.otherChecks ?? [])].sort(),
      );
    });

    for (const dependency of options.dependencies) {
      it(`answers /ready with 503 naming ${dependency} while ${dependency} is unreachable, and recovers`, async () => {
        const { baseUrl, dependencies } = current();
        await dependencies.cut(dependency);
        try {
          const down = await waitForHttp(`${baseUrl}/ready`, 503, 30_000);
          const body = (await down.json()) as { failing: string[] };
          expect(body.failing).toEqual([dependency]);
        } finally {
          await dependencies.restore(dependency);
        }
        await waitForHttp(`${baseUrl}/ready`, 200, 60_000);
      }, 120_000);
    }

    it('serves Prometheus metrics with default and process metrics', async () => {
      const response = await fetch(`${current().baseUrl}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
      expect(text).toContain(`nodejs_eventloop_lag_seconds{service="${options.app}"}`);
    });

    options.extra?.(current);

    it('writes every log line as JSON in the platform shape', () => {
      const logs = current().process.logs();
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) {
        expect(line).toMatchObject({
          service: options.app,
          container_id: expect.any(String),
          message: expect.any(String),
        });
        expect(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']).toContain(line.level);
        expect(Number.isNaN(Date.parse(String(line.timestamp)))).toBe(false);
      }
      const text = current().process.lines.join('\n');
      expect(text).not.toContain(current().dependencies.env.DATABASE_URL);
    });

    it(`exits 0 within the ${GRACE_SECONDS}s grace on SIGTERM`, async () => {
      const exit = await current().process.stop('SIGTERM', (GRACE_SECONDS + 5) * 1000);
      expect(exit.code).toBe(0);
      expect(exit.afterMs).toBeLessThan(GRACE_SECONDS * 1000);
      expect(
        current()
          .process.logs()
          .map((line) => line.message),
      ).toContain('Shutdown complete');
    }, 30_000);
  });
}

/** Starts the app with the given (bad) settings and returns how it exited and what it said. */
export async function startWithBadConfig(
  app: XorbApp,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const process = ServiceProcess.start(app, { XORB_ENV: 'test', ...env });
  const exit = await process.waitForExit(30_000);
  return { code: exit.code, output: `${process.lines.join('\n')}\n${process.stderr.join('')}` };
}
