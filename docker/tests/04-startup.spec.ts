import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, HEALTHY_BUDGET_MS, imageName } from './support/constants';
import { removeContainers, startContainer } from './support/docker';
import { ensureImages } from './support/images';
import { report, seconds } from './support/report';
import { freePort, httpGet, productionSetup, type ProductionSetup, waitForHttp } from './support/services';

// The acceptance: `docker run --read-only --cap-drop ALL --security-opt no-new-privileges`
// of each production image becomes healthy against the local services.
describe('4. Startup', () => {
  let setup: ProductionSetup;
  beforeAll(async () => {
    await ensureImages(APPS, ['production']);
    setup = await productionSetup();
  });
  afterAll(async () => {
    await removeContainers();
    await setup?.cleanup();
  });

  // One at a time: the budget is each image's own start-up, not three sharing two cores.
  it.for(APPS)(
    `%s: hardened production container is healthy and ready within ${HEALTHY_BUDGET_MS / 1000} s`,
    { timeout: 120_000 },
    async (app, { task }) => {
      const port = await freePort();
      const container = await startContainer({
        image: imageName(app, 'production'),
        network: 'host',
        hardened: true,
        env: setup.env(app, port),
        binds: [`${setup.secretsPath}:/run/secrets:ro`],
        // Probe every second to measure; the image's own timing is checked in category 7.
        healthIntervalMs: 1_000,
      });
      const toHealth = await waitForHttp(`http://127.0.0.1:${port}/health`, 200, HEALTHY_BUDGET_MS);
      const toHealthy = await container.waitHealthy(HEALTHY_BUDGET_MS);
      const toReady = await waitForHttp(`http://127.0.0.1:${port}/ready`, 200, HEALTHY_BUDGET_MS);
      expect(toHealthy).toBeLessThan(HEALTHY_BUDGET_MS);

      const info = await container.inspect();
      expect(info.HostConfig.ReadonlyRootfs).toBe(true);
      expect(info.HostConfig.CapDrop).toEqual(['ALL']);
      expect(info.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
      expect(info.State.Health?.Status).toBe('healthy');
      const ready = JSON.parse((await httpGet(`http://127.0.0.1:${port}/ready`)).body) as { status: string };
      expect(ready.status).toBe('ready');
      const { stderr } = await container.logs();
      expect(stderr, 'nothing on stderr (no warnings from the entrypoint or node)').toBe('');
      report(task, 'Startup (hardened production, host loopback services, health probed every 1 s)', [
        `${app.padEnd(12)} /health after ${seconds(toHealth)}, Docker healthy after ${seconds(toHealthy)}, /ready 200 ${seconds(toReady)} later`,
      ]);
    },
  );
});
