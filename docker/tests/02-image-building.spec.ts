import { chmod, cp, mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPS, baseImage, imageName, REPO_ROOT, TARGETS } from './support/constants';
import { dockerCli, imageInfo, removeContainers, runCommand, startContainer } from './support/docker';
import { buildImage, ensureImage } from './support/images';
import { mb, report, seconds } from './support/report';
import { testServices } from './support/services';

const STAGES = ['builder', 'runtime', 'development', 'production', 'testing'];

/** `--progress=plain` output → the RUN steps, and whether BuildKit reused them. */
function runSteps(log: string): { title: string; cached: boolean }[] {
  const titles = new Map<string, string>();
  const cached = new Set<string>();
  for (const line of log.split('\n')) {
    const header = /^#(\d+) \[([^\]]+)\] (RUN .*)$/.exec(line);
    if (header?.[1] && header[2] && header[3]) titles.set(header[1], `[${header[2]}] ${header[3]}`);
    const hit = /^#(\d+) CACHED$/.exec(line);
    if (hit?.[1]) cached.add(hit[1]);
  }
  return [...titles].map(([step, title]) => ({ title, cached: cached.has(step) }));
}

describe('2. Image building', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    await removeContainers();
    await Promise.all(scratch.map((path) => rm(path, { recursive: true, force: true })));
  });

  it('the three Dockerfiles are rendered from the one template (docker/render-dockerfiles.sh --check)', async () => {
    const result = await runCommand('bash', [resolve(REPO_ROOT, 'docker/render-dockerfiles.sh'), '--check']);
    expect(result.code, result.stderr).toBe(0);
  });

  it.each(APPS)(
    'apps/%s/Dockerfile: the five stages, the base named once, no syntax line or heredoc',
    async (app) => {
      const text = await readFile(resolve(REPO_ROOT, `apps/${app}/Dockerfile`), 'utf8');
      const stages = [...text.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gim)].map((match) => match[2]);
      for (const stage of STAGES) expect(stages).toContain(stage);
      expect(stages.at(-1), 'production is the default (last) target').toBe('production');
      expect(text).toContain(`ARG BASE_IMAGE=${baseImage()}`);
      // Every FROM is the named base or an earlier stage: no other image is pulled.
      for (const [, from] of text.matchAll(/^FROM\s+(\S+)/gim)) {
        expect(['${BASE_IMAGE}', ...stages]).toContain(from);
      }
      expect(text).not.toMatch(/^#\s*syntax\s*=/im);
      expect(text).not.toMatch(/<<-?\s*['"]?[A-Z]+['"]?\s*$/m);
      expect(text).toMatch(/RUN --mount=type=cache,id=xorb-npm-cache,target=\/root\/.npm/);
    },
  );

  for (const app of APPS) {
    for (const target of TARGETS) {
      it(`builds ${imageName(app, target)}`, async ({ task }) => {
        const started = Date.now();
        const result = await buildImage(app, target);
        expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
        const info = await imageInfo(imageName(app, target));
        expect(info.Config.Labels?.['io.xorb.stage']).toBe(target);
        expect(info.Config.Labels?.['io.xorb.app']).toBe(app);
        report(task, 'Builds (this run; cached layers make reruns fast)', [
          `✅ Built ${imageName(app, target)}: ${info.Id.slice(0, 19)} in ${seconds(Date.now() - started)} (${mb(info.Size)} MB)`,
        ]);
      });
    }
  }

  it('a rebuild with unchanged sources reuses every layer', async () => {
    const log = join(await mkdtemp(join(tmpdir(), 'xorb-ctr-build-')), 'build.log');
    scratch.push(resolve(log, '..'));
    for (const app of APPS) {
      const result = await buildImage(app, 'production', { log });
      expect(result.code, result.stderr).toBe(0);
      const rebuilt = runSteps(await readFile(log, 'utf8')).filter((step) => !step.cached);
      expect(
        rebuilt.map((step) => step.title.slice(0, 90)),
        `${app}: steps that ran again`,
      ).toEqual([]);
    }
  });

  it('a source-only change rebuilds the app but keeps the npm ci layer', async ({ task }) => {
    // A copy of the build context with one source file changed (the repository is left alone).
    const context = await mkdtemp(join(tmpdir(), 'xorb-ctr-context-'));
    scratch.push(context);
    const top = [
      'package.json',
      'package-lock.json',
      'nx.json',
      'tsconfig.base.json',
      'tsconfig.json',
      'vitest.config.mts',
      '.nvmrc',
      '.dockerignore',
      'apps',
      'libs',
      'tools',
      'docker',
    ];
    for (const entry of top) {
      await cp(resolve(REPO_ROOT, entry), join(context, entry), {
        recursive: true,
        filter: (source) =>
          !/(^|\/)(node_modules|dist|coverage|\.nx)(\/|$)/.test(relative(REPO_ROOT, source)),
      });
    }
    await appendFile(join(context, 'apps/worker/src/main.ts'), `\n// source-only change ${Date.now()}\n`);
    const started = Date.now();
    const result = await runCommand(
      'bash',
      [
        resolve(REPO_ROOT, 'docker/build-images.sh'),
        '--apps',
        'worker',
        '--targets',
        'builder',
        '--context',
        context,
        '--log',
        join(context, 'build.log'),
      ],
      { env: { XORB_IMAGE_PREFIX: 'xorb-ctr-probe' } },
    );
    expect(result.code, result.stderr).toBe(0);
    const steps = runSteps(await readFile(join(context, 'build.log'), 'utf8'));
    const npmCi = steps.find((step) => step.title.includes('npm ci --prefer-offline'));
    const nxBuild = steps.find((step) => step.title.includes('nx run worker:build'));
    expect(npmCi?.cached, 'the npm ci layer is reused').toBe(true);
    expect(nxBuild?.cached, 'the app is rebuilt').toBe(false);
    await dockerCli(['rmi', 'xorb-ctr-probe/worker:builder']);
    report(task, 'Builds (this run; cached layers make reruns fast)', [
      `source-only change → worker builder rebuilt in ${seconds(Date.now() - started)}, npm ci layer reused`,
    ]);
  });

  it.each(APPS)(
    'the %s testing image runs its tests with coverage against the services',
    async (app) => {
      await ensureImage(app, 'testing');
      const services = testServices();
      const coverage = await mkdtemp(join(tmpdir(), 'xorb-ctr-coverage-'));
      scratch.push(coverage);
      await chmod(coverage, 0o777); // written by the container's user xorb (1000)
      // The image's own CMD; for the api only its service-contract file, as its full suite
      // (minutes, and run on the host by `npm test` anyway) would only repeat itself here.
      const cmd = (await imageInfo(imageName(app, 'testing'))).Config.Cmd ?? [];
      expect(cmd).toContain('--coverage.enabled');
      const container = await startContainer({
        image: imageName(app, 'testing'),
        cmd: app === 'api' ? [...cmd, 'test/api.e2e.spec.ts'] : undefined,
        network: 'host',
        env: {
          XORB_TEST_PG_ADMIN_URL: services.pgAdminUrl,
          XORB_TEST_DATABASE_URL: services.databaseUrl,
          XORB_TEST_REDIS_URL: services.redisUrl,
          XORB_TEST_TEMPORAL_ADDRESS: services.temporalAddress,
        },
        binds: [`${coverage}:/workspace/coverage`],
      });
      const code = await container.waitExit(10 * 60_000);
      const { stdout, stderr } = await container.logs();
      expect(code, `${stdout.slice(-4000)}\n${stderr.slice(-4000)}`).toBe(0);
      expect(stdout).toMatch(/tests: \d+ passed, 0 failed/);
      const report = join(coverage, app);
      expect(existsSync(join(report, 'index.html')) || existsSync(join(report, 'coverage-final.json'))).toBe(
        true,
      );
    },
    15 * 60_000,
  );
});
