import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, imageName } from './support/constants';
import { removeContainers, startContainer } from './support/docker';
import { ensureImages } from './support/images';
import { report, seconds } from './support/report';
import {
  freePort,
  httpGet,
  productionSetup,
  StallableProxy,
  testServices,
  type ProductionSetup,
  waitForHttp,
} from './support/services';

/** Docker's default `docker stop` timeout (and compose's stop_grace_period). */
const STOP_TIMEOUT_SECONDS = 10;

describe('9. Graceful shutdown', () => {
  let setup: ProductionSetup;
  beforeAll(async () => {
    await ensureImages(APPS, ['production']);
    setup = await productionSetup();
  });
  afterAll(async () => {
    await removeContainers();
    await setup?.cleanup();
  });

  it.concurrent.for(APPS)(
    `%s: docker stop drains the request in flight and exits 0 well inside ${STOP_TIMEOUT_SECONDS} s`,
    async (app, { task }) => {
      const port = await freePort();
      const redis = new StallableProxy(testServices().redisUrl);
      const redisUrl = await redis.start();
      try {
        const container = await startContainer({
          image: imageName(app, 'production'),
          network: 'host',
          hardened: true,
          env: setup.env(app, port, { REDIS_URL: redisUrl, SHUTDOWN_GRACE_SECONDS: '8' }),
          binds: [`${setup.secretsPath}:/run/secrets:ro`],
        });
        await waitForHttp(`http://127.0.0.1:${port}/ready`);

        // Work in flight: /ready waits for Redis, whose bytes the proxy now holds back.
        redis.hold();
        const inFlight = httpGet(`http://127.0.0.1:${port}/ready`, 15_000).then(
          (response) => ({ response, error: undefined }),
          (error: unknown) => ({ response: undefined, error }),
        );
        await sleep(300);
        const stopping = container.stop(STOP_TIMEOUT_SECONDS);
        await sleep(1_500);
        // Refused while draining: new connections are not accepted any more.
        const late = await httpGet(`http://127.0.0.1:${port}/health`, 2_000).then(
          (response) => response.status,
          () => 'refused',
        );
        redis.release();

        const { response, error } = await inFlight;
        expect(error, 'the in-flight request got a complete answer').toBeUndefined();
        expect([200, 503]).toContain(response?.status);
        const { exitCode, durationMs } = await stopping;
        expect(exitCode, await container.describe()).toBe(0);
        expect(durationMs).toBeLessThan(STOP_TIMEOUT_SECONDS * 1000 * 0.8);

        const logs = await container.jsonLogs();
        const messages = logs.map((line) => line.message);
        expect(messages).toContain('Shutting down');
        expect(messages).toContain('Shutdown complete');
        expect(logs.find((line) => line.message === 'Shutting down')?.reason).toBe('SIGTERM');
        report(task, `docker stop (timeout ${STOP_TIMEOUT_SECONDS} s) with a request in flight`, [
          `${app.padEnd(12)} exit 0 after ${seconds(durationMs)}; in-flight /ready answered ${response?.status}; new connection during drain: ${late}`,
        ]);
      } finally {
        await redis.close();
      }
    },
  );
});
