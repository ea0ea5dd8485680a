import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, LocalRegistry } from './support/registry';
import { docker, dockerOk, imageExists, run, runScript, scriptEnv, tempDir } from './support/script';

const APPS = ['api', 'orchestrator', 'worker'] as const;

interface Labels {
  [name: string]: string;
}

async function labels(ref: string): Promise<Labels> {
  return JSON.parse(await dockerOk(['image', 'inspect', '-f', '{{json .Config.Labels}}', ref])) as Labels;
}

async function imageId(ref: string): Promise<string> {
  return dockerOk(['image', 'inspect', '-f', '{{.Id}}', ref]);
}

describe('docker-build.sh: images', () => {
  const run_ = inject('dockerBuild');
  const { imagePrefix, version } = run_;
  let state: { path: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;

  /** A label revision: a commit of this repository ("-dirty" with uncommitted changes). */
  async function expectRevision(revision: string | undefined): Promise<void> {
    const match = /^([0-9a-f]{40})(-dirty)?$/.exec(revision ?? '');
    expect(match, `revision ${revision}`).not.toBeNull();
    const commit = await run('git', ['cat-file', '-t', match?.[1] ?? '']);
    expect(commit.stdout.trim(), `${revision} is a commit here`).toBe('commit');
  }

  beforeAll(async () => {
    state = await tempDir('xorb-dbt-images');
    env = scriptEnv({ imagePrefix, stateDir: state.path });
  });
  afterAll(() => state?.remove());

  describe('build', () => {
    it('built the three production images in parallel (global setup), with OCI labels, version, target and cache tags', async () => {
      const out = run_.buildStdout;
      expect(out).toContain(
        `building 3 image(s) (parallel, environment production, version ${version}): ${imagePrefix}/api:production, ${imagePrefix}/orchestrator:production, ${imagePrefix}/worker:production`,
      );
      expect(out).toMatch(/^built 3 image\(s\) in [\d.]+s \(parallel\); logs: /m);
      for (const app of APPS) {
        expect(out).toMatch(
          new RegExp(`^built ${imagePrefix}/${app}:production in [\\d.]+s \\(\\d+ MB\\)$`, 'm'),
        );
        const id = await imageId(`${imagePrefix}/${app}:${version}`);
        expect(await imageId(`${imagePrefix}/${app}:production`)).toBe(id);
        expect(await imageId(`${imagePrefix}/${app}:prod-cache`)).toBe(id);
        const image = await labels(`${imagePrefix}/${app}:${version}`);
        expect(image['org.opencontainers.image.version']).toBe(version);
        await expectRevision(image['org.opencontainers.image.revision']);
        expect(image['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(image['org.opencontainers.image.source']).toBeTruthy();
        expect(image['io.xorb.environment']).toBe('production');
        expect(image['io.xorb.stage']).toBe('production');
      }
      console.info(
        `[build] 3 production images, parallel: ${(run_.buildMs / 1000).toFixed(1)} s (global setup)`,
      );
    });

    it('--sequential rebuilds one at a time from the cache tag (--cache-from) and records the version for deploy', async () => {
      const next = `${version}-seq`;
      const result = await runScript(
        ['build', 'worker', 'api', '--sequential', '--target', 'production', '--version', next],
        env,
        20 * 60_000,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `building 2 image(s) (sequential, environment production, version ${next})`,
      );
      const lines = result.stdout.split('\n');
      const workerLine = lines.findIndex((line) =>
        line.startsWith(`built ${imagePrefix}/worker:production in`),
      );
      const apiLine = lines.findIndex((line) => line.startsWith(`built ${imagePrefix}/api:production in`));
      expect(workerLine).toBeGreaterThanOrEqual(0);
      expect(apiLine).toBeGreaterThan(workerLine);
      expect(result.stdout).toMatch(
        new RegExp(`^  ${imagePrefix}/api:production  version ${next}, revision [0-9a-f]{40}(-dirty)?$`, 'm'),
      );
      const log = await readFile(join(state.path, 'docker-build/logs/build-api-production.log'), 'utf8');
      expect(log).toContain(`importing cache manifest from ${imagePrefix}/api:prod-cache`);
      expect(log).toContain('CACHED');
      expect(await readFile(join(state.path, 'docker-build/last-build.env'), 'utf8')).toContain(
        `version=${next}`,
      );
      console.info(`[build] api + worker again, sequential, from cache: ${(result.ms / 1000).toFixed(1)} s`);
    });

    it('a failing build exits 1 naming the image, with the log', async () => {
      const result = await runScript(
        ['build', 'api', '--target', 'production', '--version', `${version}-broken`],
        { ...env, XORB_BUILD_EXTRA_ARGS: '--build-arg APP=no-such-app' },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`FAILED ${imagePrefix}/api:production`);
      expect(result.stderr).toMatch(
        /docker-build\.sh build: 1 of 1 image\(s\) failed after [\d.]+s \(parallel\); full logs: /,
      );
      expect(await imageExists(`${imagePrefix}/api:${version}-broken`)).toBe(false);
    });
  });

  describe('push and pull', () => {
    it('fail in one line, non-zero, when the registry is not reachable (flag or XORB_REGISTRY)', async () => {
      const port = await freePort();
      const registry = `127.0.0.1:${port}`;
      for (const [args, extra] of [
        [['push', 'api', '--registry', registry, '--version', version], {}],
        [['--version', version, 'push', 'worker'], { XORB_REGISTRY: registry }],
        [['pull', 'api', '--registry', registry, '--version', version], {}],
        [['pull', '--target', 'production', 'orchestrator'], { XORB_REGISTRY: registry }],
      ] as Array<[string[], Record<string, string>]>) {
        const result = await runScript(args, { ...env, ...extra });
        const command = args.includes('push') ? 'push' : 'pull';
        expect(result.code, args.join(' ')).toBe(1);
        const lines = result.stderr.trim().split('\n');
        expect(lines, result.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(
            `^docker-build\\.sh ${command}: registry ${registry} is not reachable \\(.+\\): nothing was ${command}ed`,
          ),
        );
        expect(result.ms).toBeLessThan(15_000);
      }
    });

    it('build --push checks the registry first: unreachable, nothing is built', async () => {
      const registry = `127.0.0.1:${await freePort()}`;
      const result = await runScript(
        [
          'build',
          'api',
          '--target',
          'production',
          '--version',
          `${version}-unpushed`,
          '--push',
          '--registry',
          registry,
        ],
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toMatch(
        new RegExp(
          `^docker-build\\.sh build: registry ${registry} is not reachable \\(.+\\): nothing was built or pushed`,
        ),
      );
      expect(await imageExists(`${imagePrefix}/api:${version}-unpushed`)).toBe(false);
    });

    it('push refuses images that were not built, in one line', async () => {
      const result = await runScript(['push', 'orchestrator', '--version', 'never-built'], {
        ...env,
        XORB_REGISTRY: '127.0.0.1:1',
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `docker-build.sh push: not built here: ${imagePrefix}/orchestrator:never-built (build them first: docker-build.sh build ...)`,
      );
    });

    describe('against a real registry on 127.0.0.1', () => {
      let registry: LocalRegistry;
      beforeAll(async () => {
        registry = await LocalRegistry.start();
      });
      afterAll(async () => {
        const tags = (
          await docker([
            'images',
            '--filter',
            `reference=${registry?.address}/${imagePrefix}/*`,
            '--format',
            '{{.Repository}}:{{.Tag}}',
          ])
        ).stdout
          .split('\n')
          .filter(Boolean);
        if (tags.length > 0) await docker(['image', 'rm', ...tags]);
        await registry?.stop();
      });

      it('push sends the version, target and cache tags; pull brings them back under the local name', async () => {
        const remote = `${registry.address}/${imagePrefix}`;
        const push = await runScript(
          ['push', 'api', '--version', version, '--registry', registry.address],
          env,
        );
        expect(push.code, push.stderr).toBe(0);
        for (const tag of [version, 'production', 'prod-cache']) {
          expect(push.stdout).toMatch(
            new RegExp(`^pushed ${remote}/api:${tag} in [\\d.]+s \\(digest: sha256:[0-9a-f]{64}\\)$`, 'm'),
          );
        }
        const tags = await registry.api<{ tags: string[] }>(`/v2/${imagePrefix}/api/tags/list`);
        expect(tags.tags.sort()).toEqual([version, 'prod-cache', 'production'].sort());
        console.info(`[push] api (3 tags) to ${registry.address}: ${(push.ms / 1000).toFixed(1)} s`);

        const id = await imageId(`${imagePrefix}/api:${version}`);
        await dockerOk(['image', 'rm', `${remote}/api:${version}`]);
        const pull = await runScript(['pull', 'api', '--version', version], {
          ...env,
          XORB_REGISTRY: registry.address,
        });
        expect(pull.code, pull.stderr).toBe(0);
        expect(pull.stdout).toMatch(
          new RegExp(`^pulled ${remote}/api:${version} as ${imagePrefix}/api:${version} in`, 'm'),
        );
        expect(await imageId(`${remote}/api:${version}`)).toBe(id);
        expect(await imageId(`${imagePrefix}/api:${version}`)).toBe(id);
      });

      it('build --push builds, then pushes; with a registry the build also takes its cache from there', async () => {
        const next = `${version}-push`;
        const result = await runScript(
          [
            'build',
            'worker',
            '--target',
            'production',
            '--version',
            next,
            '--push',
            '--registry',
            registry.address,
          ],
          env,
          20 * 60_000,
        );
        expect(result.code, result.stderr).toBe(0);
        const remote = `${registry.address}/${imagePrefix}/worker`;
        expect(result.stdout).toMatch(new RegExp(`^built ${imagePrefix}/worker:production in`, 'm'));
        expect(result.stdout).toMatch(new RegExp(`^pushed ${remote}:${next} in`, 'm'));
        expect(result.stdout).toMatch(new RegExp(`^pushed ${remote}:prod-cache in`, 'm'));
        const log = await readFile(join(state.path, 'docker-build/logs/build-worker-production.log'), 'utf8');
        expect(log).toContain(`importing cache manifest from ${remote}:prod-cache`);
        const tags = await registry.api<{ tags: string[] }>(`/v2/${imagePrefix}/worker/tags/list`);
        expect(tags.tags).toEqual(expect.arrayContaining([next, 'production', 'prod-cache']));
      });
    });
  });

  describe('size-report', () => {
    it('prints a table per service and target, saves it, and shows the change since the last report', async () => {
      const reports = join(state.path, 'size-reports');
      const first = await runScript(['size-report'], env);
      expect(first.code, first.stderr).toBe(0);
      const rows = first.stdout.split('\n');
      expect(rows[1]).toMatch(/^SERVICE\s+TARGET\s+IMAGE\s+SIZE\s+CHANGE$/);
      for (const app of APPS) {
        expect(first.stdout).toMatch(
          new RegExp(
            `^${app}\\s+production\\s+${imagePrefix}/${app}:production\\s+\\d+\\.\\d MB\\s+first report$`,
            'm',
          ),
        );
        for (const target of ['development', 'testing']) {
          expect(first.stdout).toMatch(
            new RegExp(`^${app}\\s+${target}\\s+${imagePrefix}/${app}:${target}\\s+-\\s+not built$`, 'm'),
          );
        }
      }
      expect(first.stdout).toMatch(/^TOTAL\s+3 image\(s\)\s+\d+\.\d MB$/m);
      const saved = (await readdir(reports)).sort();
      expect(saved).toHaveLength(2);
      expect(saved).toContain('latest.tsv');

      const second = await runScript(['size-report'], env);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/change since the report of \d{4}-\d\d-\d\dT/);
      for (const app of APPS)
        expect(second.stdout).toMatch(
          new RegExp(`^${app}\\s+production\\s+\\S+\\s+[\\d.]+ MB\\s+unchanged$`, 'm'),
        );

      // The last report said: api was 1 MB smaller, worker 2 MB larger, orchestrator had a testing image.
      const latest = join(reports, 'latest.tsv');
      const edited = (await readFile(latest, 'utf8'))
        .split('\n')
        .map((line) => {
          const cells = line.split('\t');
          if (cells[0] === 'api') cells[4] = String(Number(cells[4]) - 1_000_000);
          if (cells[0] === 'worker') cells[4] = String(Number(cells[4]) + 2_000_000);
          return cells.join('\t');
        })
        .join('\n');
      await writeFile(
        latest,
        `${edited}orchestrator\ttesting\t${imagePrefix}/orchestrator:testing\tsha256:x\t700000000\n`,
      );
      const third = await runScript(['size-report', '--no-save'], env);
      expect(third.code).toBe(0);
      expect(third.stdout).toMatch(/^api\s+production\s+\S+\s+[\d.]+ MB\s+\+1\.0 MB \(\+0\.\d%\)$/m);
      expect(third.stdout).toMatch(/^worker\s+production\s+\S+\s+[\d.]+ MB\s+-2\.0 MB \(-0\.\d%\)$/m);
      expect(third.stdout).toMatch(/^orchestrator\s+testing\s+\S+\s+-\s+removed \(was 700\.0 MB\)$/m);
      expect(third.stdout).not.toContain('saved:');
      expect(await readdir(reports)).toHaveLength(3);

      const filtered = await runScript(['size-report', 'worker', '--target', 'production', '--no-save'], env);
      expect(
        filtered.stdout.split('\n').filter((line) => /^(api|orchestrator|worker) /.test(line)),
      ).toHaveLength(1);
    });
  });

  describe('security-scan', () => {
    let bin: { path: string; remove: () => Promise<void> };
    beforeAll(async () => {
      bin = await tempDir('xorb-dbt-trivy');
    });
    afterAll(() => bin?.remove());

    /** A stand-in `trivy` that records its arguments and answers with the given exit code. */
    async function fakeTrivy(exitCode: number, output: string): Promise<string> {
      const path = join(bin.path, `trivy-${exitCode}`);
      await writeFile(
        path,
        `#!/bin/sh\necho "$@" >> "${bin.path}/calls.log"\nprintf '%s\\n' "${output}"\nexit ${exitCode}\n`,
      );
      await chmod(path, 0o755);
      return path;
    }

    it('without Trivy: says so and exits 3; --allow-missing-scanner exits 0 and says nothing was scanned', async () => {
      const noTrivy = { ...env, PATH: '/usr/bin:/bin' };
      const result = await runScript(['security-scan', 'api', 'orchestrator', 'worker'], noTrivy);
      expect(result.code).toBe(3);
      expect(result.stderr.trim()).toMatch(
        /^docker-build\.sh security-scan: no vulnerability scanner: Trivy is not installed \(trivy not on PATH\)\. Install Trivy .* --allow-missing-scanner skips the scan\.$/,
      );
      const allowed = await runScript(['security-scan', '--allow-missing-scanner'], noTrivy);
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(allowed.stderr).toContain('images were NOT scanned for vulnerabilities');
      for (const app of APPS) expect(allowed.stdout).toContain(`✅ ${app}: runs as non-root user 1000:1000`);
    });

    it('runs Trivy on each image and fails on HIGH/CRITICAL findings or when Trivy cannot scan', async () => {
      const clean = await runScript(['security-scan', 'api', '--version', version], {
        ...env,
        XORB_TRIVY: await fakeTrivy(0, 'Total: 0'),
      });
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toContain('✅ No HIGH or CRITICAL vulnerabilities found');
      const calls = await readFile(join(bin.path, 'calls.log'), 'utf8');
      expect(calls.trim()).toBe(
        `image --quiet --no-progress --exit-code 5 --severity HIGH,CRITICAL ${imagePrefix}/api:${version}`,
      );

      const vulnerable = await runScript(['security-scan', 'worker'], {
        ...env,
        XORB_TRIVY: await fakeTrivy(5, 'libfoo CVE-2099-0001 CRITICAL'),
      });
      expect(vulnerable.code).toBe(1);
      expect(vulnerable.stdout).toContain('CVE-2099-0001');
      expect(vulnerable.stdout).toContain(
        `❌ worker: HIGH or CRITICAL vulnerabilities found in ${imagePrefix}/worker:production`,
      );
      expect(vulnerable.stderr.trim()).toBe('docker-build.sh security-scan: 1 problem(s) in 1 image(s)');

      const broken = await runScript(['security-scan', 'orchestrator', '--severity', 'CRITICAL'], {
        ...env,
        XORB_TRIVY: await fakeTrivy(1, 'FATAL init error: DB error: failed to download vulnerability DB'),
      });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('❌ orchestrator: Trivy could not scan');
      expect(broken.stdout).toContain('failed to download vulnerability DB');
    });

    it('fails for an image that is not built', async () => {
      const result = await runScript(
        ['security-scan', 'api', '--target', 'testing', '--allow-missing-scanner'],
        {
          ...env,
          PATH: '/usr/bin:/bin',
        },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`❌ api: ${imagePrefix}/api:testing is not built here`);
    });
  });

  describe('the development environment: build, then clean', () => {
    it('build --environment development --target development labels the image; clean removes the environment’s tags', async () => {
      const build = await runScript(
        ['build', 'api', '--environment', 'development', '--target', 'development', '--version', version],
        env,
        20 * 60_000,
      );
      expect(build.code, build.stderr).toBe(0);
      expect(build.stdout).toContain(
        `building 1 image(s) (parallel, environment development, version ${version}): ${imagePrefix}/api:development`,
      );
      const development = await imageId(`${imagePrefix}/api:development`);
      expect(await imageId(`${imagePrefix}/api:dev-cache`)).toBe(development);
      // A version tag of its own: the production image keeps <version>.
      expect(await imageId(`${imagePrefix}/api:${version}-development`)).toBe(development);
      expect(await imageId(`${imagePrefix}/api:${version}`)).not.toBe(development);
      const image = await labels(`${imagePrefix}/api:development`);
      expect(image['org.opencontainers.image.version']).toBe(version);
      await expectRevision(image['org.opencontainers.image.revision']);
      expect(image['io.xorb.environment']).toBe('development');
      expect(image['io.xorb.stage']).toBe('development');
      console.info(`[build] api development target: ${(build.ms / 1000).toFixed(1)} s`);

      // The testing target belongs to development as well (a tag of a production image here).
      const testing = `${imagePrefix}/worker:testing`;
      await dockerOk(['tag', `${imagePrefix}/worker:${version}`, testing]);
      const tags = [
        `${imagePrefix}/api:development`,
        `${imagePrefix}/api:dev-cache`,
        `${imagePrefix}/api:${version}-development`,
        testing,
      ];

      // --build-cache only in the dry run: the engine's BuildKit cache is shared with every other suite.
      const dry = await runScript(
        ['clean', '--environment', 'development', '--dry-run', '--build-cache'],
        env,
      );
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(`no compose project ${env.XORB_STACK_PREFIX}-dev`);
      expect(dry.stdout).toContain(
        '(dry run) docker builder prune -f (unused build cache; shared by all environments)',
      );
      for (const tag of tags) expect(dry.stdout).toContain(`(dry run) removing ${tag}`);
      expect(dry.stdout).not.toContain(`removing ${imagePrefix}/api:production`);
      for (const tag of tags) expect(await imageExists(tag)).toBe(true);

      const real = await runScript(['clean', '--environment', 'development'], env);
      expect(real.code, real.stderr).toBe(0);
      expect(real.stdout).toMatch(
        /clean development: stack \S+-dev, 4 image tag\(s\) removed, 0 kept, in [\d.]+s/,
      );
      for (const tag of tags) expect(await imageExists(tag)).toBe(false);
      expect(await imageExists(development)).toBe(false);
      expect(await imageExists(`${imagePrefix}/worker:${version}`)).toBe(true);
      expect(await imageExists(`${imagePrefix}/api:production`)).toBe(true);
    });
  });
});
