import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, imageName, PORT_VARIABLE } from './support/constants';
import { removeContainers, runOnce, startContainer } from './support/docker';
import { ensureImages } from './support/images';
import {
  freePort,
  productionSetup,
  secretsDirectory,
  strongSecret,
  testServices,
  type ProductionSetup,
  waitForHttp,
} from './support/services';

const EXIT_BAD_CONFIG = 78;

describe('5. Configuration integration', () => {
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
    '%s: XORB_ENV switches the profile of the same image (development starts without secrets)',
    async (app) => {
      const port = await freePort();
      const services = testServices();
      const container = await startContainer({
        image: imageName(app, 'production'),
        network: 'host',
        hardened: true,
        env: {
          ...setup.env(app, port),
          DATABASE_URL: services.databaseUrl, // development accepts the shared test role
          XORB_ENV: 'development',
        },
      });
      await waitForHttp(`http://127.0.0.1:${port}/health`);
      // The start-up log line that names the profile ("API listening", ...).
      const started = await container.waitForLine(
        (line) => typeof line.env === 'string',
        'a line naming env',
      );
      expect(started.env).toBe('development');
      // The production image's default profile is production: secrets are required there.
      const refused = await runOnce({ image: imageName(app, 'production'), hardened: true });
      expect(refused.code).toBe(EXIT_BAD_CONFIG);
      expect(refused.stdout).toMatch(/postgres_password: is required in production/);
      expect(refused.stdout).toMatch(/jwt_secret: is required in production/);
      const staging = await runOnce({
        image: imageName(app, 'production'),
        hardened: true,
        env: { XORB_ENV: 'staging' },
      });
      expect(staging.code).toBe(EXIT_BAD_CONFIG);
      expect(staging.stdout).toMatch(/is required in staging/);
    },
  );

  it.concurrent.for(APPS)(
    '%s: reads Docker secrets at /run/secrets and *_FILE paths, and never prints them',
    async (app) => {
      // 1. Docker secrets at /run/secrets (a read-only bind mount, as compose/swarm do).
      const viaRunSecrets = await freePort();
      const first = await startContainer({
        image: imageName(app, 'production'),
        network: 'host',
        hardened: true,
        env: setup.env(app, viaRunSecrets),
        binds: [`${setup.secretsPath}:/run/secrets:ro`],
      });
      await waitForHttp(`http://127.0.0.1:${viaRunSecrets}/ready`);
      // 2. The same secrets elsewhere, named by POSTGRES_PASSWORD_FILE / JWT_SECRET_FILE.
      const viaFiles = await freePort();
      const second = await startContainer({
        image: imageName(app, 'production'),
        network: 'host',
        hardened: true,
        env: setup.env(app, viaFiles, {
          POSTGRES_PASSWORD_FILE: '/etc/xorb-secrets/postgres_password',
          JWT_SECRET_FILE: '/etc/xorb-secrets/jwt_secret',
        }),
        binds: [`${setup.secretsPath}:/etc/xorb-secrets:ro`],
      });
      await waitForHttp(`http://127.0.0.1:${viaFiles}/ready`);
      for (const container of [first, second]) {
        const { stdout, stderr } = await container.logs();
        for (const value of Object.values(setup.secrets)) {
          expect(stdout + stderr).not.toContain(value);
        }
      }
    },
  );

  it.concurrent.for(APPS)('%s: a weak secret is refused by name, without its value', async (app) => {
    const weak = `Aa1${'x'.repeat(29)}`; // 32 characters, too little variety
    const secrets = await secretsDirectory({ postgres_password: strongSecret(), jwt_secret: weak });
    try {
      const result = await runOnce({
        image: imageName(app, 'production'),
        hardened: true,
        binds: [`${secrets.path}:/run/secrets:ro`],
      });
      expect(result.code).toBe(EXIT_BAD_CONFIG);
      expect(result.stdout).toMatch(/jwt_secret: has too little variety/);
      expect(result.stdout + result.stderr).not.toContain(weak);
    } finally {
      await secrets.remove();
    }
  });

  it.concurrent.for(APPS)(
    '%s: invalid configuration exits non-zero (78) naming every bad variable',
    async (app) => {
      const result = await runOnce({
        image: imageName(app, 'production'),
        hardened: true,
        env: {
          XORB_ENV: 'development',
          [PORT_VARIABLE[app]]: 'not-a-port',
          LOG_LEVEL: 'chatty',
        },
      });
      expect(result.code).toBe(EXIT_BAD_CONFIG);
      const fatal = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: string; message: string })
        .find((line) => line.level === 'FATAL');
      expect(fatal?.message).toMatch(/Refusing to start/);
      expect(fatal?.message).toContain(PORT_VARIABLE[app]);
      expect(fatal?.message).toContain('LOG_LEVEL');
    },
  );
});
