import { appendFile, chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PORT, APPS, imageName, REPO_ROOT } from './support/constants';
import { removeContainers, runOnce, startContainer } from './support/docker';
import { ensureImages } from './support/images';
import { report, seconds } from './support/report';
import { freePort, httpGet, secretsDirectory, waitForHttp } from './support/services';

describe('8. Volume mounts', () => {
  const scratch: string[] = [];
  beforeAll(() => ensureImages(APPS, ['development', 'production']));
  afterAll(async () => {
    await removeContainers();
    await Promise.all(scratch.map((path) => rm(path, { recursive: true, force: true })));
  });

  it.concurrent.for(APPS)(
    '%s: the development image reloads bind-mounted (read-only) sources on change; debugger and bash are there',
    { timeout: 180_000 },
    async (app, { task }) => {
      // A copy of the app's sources, mounted read-only over the image's, as a developer
      // mounts the checkout (the repository itself is not modified).
      const sources = await mkdtemp(join(tmpdir(), `xorb-ctr-src-${app}-`));
      scratch.push(sources);
      await cp(resolve(REPO_ROOT, `apps/${app}/src`), sources, { recursive: true });
      await chmod(sources, 0o755);
      const [httpPort, debugPort] = [await freePort(), await freePort()];
      // Bridge network, ports published on 127.0.0.1: the image's own CMD, inspector on
      // 0.0.0.0:9229 inside. No services: /health is liveness only.
      const container = await startContainer({
        image: imageName(app, 'development'),
        network: 'bridge',
        publish: { [APP_PORT[app]]: httpPort, 9229: debugPort },
        binds: [`${sources}:/workspace/apps/${app}/src:ro`],
      });
      const toFirstHealth = await waitForHttp(`http://127.0.0.1:${httpPort}/health`, 200, 90_000);

      const inspector = await httpGet(`http://127.0.0.1:${debugPort}/json/version`);
      expect(inspector.status).toBe(200);
      expect(inspector.body).toMatch(/"Browser": "node\.js\/v24/);

      const marker = `hot reload ${Date.now()}`;
      const changed = Date.now();
      await appendFile(
        join(sources, 'main.ts'),
        `\nprocess.stdout.write(JSON.stringify({ level: 'INFO', message: '${marker}' }) + '\\n');\n`,
      );
      await container.waitForLog(marker, 60_000);
      const toReload = Date.now() - changed;
      // The restarted app serves again.
      await sleep(200);
      await waitForHttp(`http://127.0.0.1:${httpPort}/health`, 200, 60_000);

      const readOnly = await container.exec(['touch', `/workspace/apps/${app}/src/written-by-container`]);
      expect(readOnly.code).not.toBe(0);
      expect(readOnly.stderr).toMatch(/Read-only file system/);
      const bash = await container.exec([
        '/bin/bash',
        '-c',
        'echo "$BASH_VERSION"; id -un; ps -o comm= -p 1',
      ]);
      expect(bash.stdout).toMatch(/^5\.\d+/);
      expect(bash.stdout).toContain('xorb');
      expect(bash.stdout).toContain('dumb-init');
      report(task, 'Development image (tsx watch, sources bind-mounted read-only)', [
        `${app.padEnd(12)} first /health after ${seconds(toFirstHealth)}, reload visible ${seconds(toReload)} after the edit`,
      ]);
    },
  );

  it.each(APPS)(
    '%s: read-only mounts (secrets) stay read-only; the read-only root only writes to /tmp',
    async (app) => {
      const secrets = await secretsDirectory({ jwt_secret: 'not-used-here' });
      try {
        const result = await runOnce({
          image: imageName(app, 'production'),
          hardened: true,
          binds: [`${secrets.path}:/run/secrets:ro`],
          cmd: [
            '/bin/sh',
            '-c',
            'cat /run/secrets/jwt_secret >/dev/null && echo read; ' +
              'echo x > /run/secrets/jwt_secret 2>&1 || echo refused-secret; ' +
              'echo x > /app/new 2>&1 || echo refused-app; echo x > /tmp/new && echo wrote-tmp',
          ],
        });
        expect(result.stdout).toContain('read');
        expect(result.stdout).toContain('refused-secret');
        expect(result.stdout).toContain('refused-app');
        expect(result.stdout).toContain('wrote-tmp');
        expect(result.stderr).toMatch(/Read-only file system/);
      } finally {
        await secrets.remove();
      }
    },
  );
});
