import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, imageName } from './support/constants';
import { imageInfo, removeContainers, runOnce, startContainer } from './support/docker';
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

describe('7. Health endpoints', () => {
  let setup: ProductionSetup;
  beforeAll(async () => {
    await ensureImages(APPS, ['production']);
    setup = await productionSetup();
  });
  afterAll(async () => {
    await removeContainers();
    await setup?.cleanup();
  });

  it.each(APPS)(
    '%s: the HEALTHCHECK runs node (no curl in the image) and fails when nothing answers',
    async (app) => {
      const healthcheck = (await imageInfo(imageName(app, 'production'))).Config.Healthcheck;
      expect(healthcheck?.Test).toEqual(['CMD', 'node', '/usr/local/lib/xorb/healthcheck.mjs']);
      const result = await runOnce({
        image: imageName(app, 'production'),
        cmd: ['node', '/usr/local/lib/xorb/healthcheck.mjs'],
        hardened: true,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/unhealthy: http:\/\/127\.0\.0\.1:\d+\/health/);
      const curl = await runOnce({
        image: imageName(app, 'production'),
        cmd: ['sh', '-c', 'command -v curl wget'],
      });
      expect(curl.stdout.trim()).toBe('');
    },
  );

  it.concurrent.for(APPS)(
    '%s: healthy with the image’s own HEALTHCHECK; /health, /ready and /metrics answer; liveness ignores a lost dependency',
    async (app, { task }) => {
      const port = await freePort();
      const redis = new StallableProxy(testServices().redisUrl);
      const redisUrl = await redis.start();
      try {
        const container = await startContainer({
          image: imageName(app, 'production'),
          network: 'host',
          hardened: true,
          env: setup.env(app, port, { REDIS_URL: redisUrl }),
          binds: [`${setup.secretsPath}:/run/secrets:ro`],
        });
        const toHealthy = await container.waitHealthy(60_000);

        const health = await httpGet(`http://127.0.0.1:${port}/health`);
        expect(health.status).toBe(200);
        expect(JSON.parse(health.body)).toEqual({ status: 'ok', service: app });

        await waitForHttp(`http://127.0.0.1:${port}/ready`);
        const ready = JSON.parse((await httpGet(`http://127.0.0.1:${port}/ready`)).body) as {
          status: string;
          checks: Record<string, { status: string }>;
        };
        expect(ready.status).toBe('ready');
        expect(Object.keys(ready.checks)).toEqual(
          expect.arrayContaining(
            app === 'worker' ? ['postgres', 'redis'] : ['postgres', 'redis', 'temporal'],
          ),
        );

        const metrics = await httpGet(`http://127.0.0.1:${port}/metrics`);
        expect(metrics.status).toBe(200);
        expect(metrics.contentType).toMatch(/^text\/plain/);
        expect(metrics.body).toContain(`process_cpu_user_seconds_total{service="${app}"}`);

        // Redis goes away: /ready names it (503), /health and Docker's health stay up.
        await redis.close();
        const degraded = await httpGet(`http://127.0.0.1:${port}/ready`, 10_000);
        expect(degraded.status).toBe(503);
        expect((JSON.parse(degraded.body) as { failing: string[] }).failing).toContain('redis');
        expect((await httpGet(`http://127.0.0.1:${port}/health`)).status).toBe(200);
        const health2 = (await container.inspect()).State.Health;
        expect(health2?.Status).toBe('healthy');
        report(task, 'Time to healthy with the image’s HEALTHCHECK (interval 10 s)', [
          `${app.padEnd(12)} ${seconds(toHealthy)}`,
        ]);
      } finally {
        await redis.close();
      }
    },
  );
});
