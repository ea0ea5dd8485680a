import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  baseImage,
  docker,
  dockerHost,
  imageExists,
  REPO_ROOT,
  run,
  runScript,
  scriptEnv,
  tempDir,
  TEST_LABEL,
} from './support/script';

/**
 * Builds the three production images once, with the script under test, under a throwaway
 * image prefix (xorb-dbt-<run>) so that nothing the other suites or operators use is
 * touched; removes them, and anything else labelled with this run, at the end.
 * The base image must be local (no registry here): when it is missing, the local stand-in
 * is built with docker/base-standin/build.sh.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const host = dockerHost();
  process.env.DOCKER_HOST = host;
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const imagePrefix = `xorb-dbt-${runId}`;
  const version = `t-${runId}`;
  const state = await tempDir('xorb-dbt-setup');

  const base = baseImage();
  if (!(await imageExists(base))) {
    const standin = await run('bash', [join(REPO_ROOT, 'docker/base-standin/build.sh')], {
      env: { ...process.env, DOCKER_HOST: host },
      timeoutMs: 15 * 60_000,
    });
    if (standin.code !== 0) throw new Error(`docker/base-standin/build.sh failed:\n${standin.stderr}`);
    console.info(`[docker-build] base stand-in ${base} built in ${(standin.ms / 1000).toFixed(1)} s`);
  }

  const build = await runScript(
    ['build', '--target', 'production', '--version', version],
    scriptEnv({ imagePrefix, stateDir: state.path }),
    45 * 60_000,
  );
  if (build.code !== 0) {
    throw new Error(
      `build of the production images failed (${build.code}):\n${build.stdout}\n${build.stderr}`,
    );
  }
  console.info(`[docker-build] global setup:\n${build.stdout}`);
  project.provide('dockerBuild', {
    runId,
    imagePrefix,
    version,
    buildStdout: build.stdout,
    buildMs: build.ms,
  });

  return async () => {
    const containers = (await docker(['ps', '-aq', '--filter', `label=${TEST_LABEL}=${runId}`])).stdout
      .split('\n')
      .filter(Boolean);
    if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers]);
    const networks = (
      await docker(['network', 'ls', '-q', '--filter', `label=${TEST_LABEL}=${runId}`])
    ).stdout
      .split('\n')
      .filter(Boolean);
    if (networks.length > 0) await docker(['network', 'rm', ...networks]);
    const tags = (
      await docker([
        'images',
        '--filter',
        `reference=${imagePrefix}/*`,
        '--format',
        '{{.Repository}}:{{.Tag}}',
      ])
    ).stdout
      .split('\n')
      .filter((tag) => tag && !tag.includes('<none>'));
    if (tags.length > 0) await docker(['image', 'rm', ...tags]);
    await state.remove();
  };
}
