import { afterAll, describe, expect, it } from 'vitest';
import { baseImage, DOCKER_CLI, NODE_VERSION } from './support/constants';
import { docker, dockerCli, imageInfo, removeContainers, runOnce } from './support/docker';
import { report } from './support/report';
import { testServices } from './support/services';

describe('1. Docker environment', () => {
  afterAll(removeContainers);

  it('the engine answers and reports its resources', async ({ task }) => {
    const engine = await docker();
    const version = await engine.version();
    const info = await engine.info();
    expect(Number(version.ApiVersion)).toBeGreaterThanOrEqual(1.41);
    expect(info.Driver).toBeTruthy();
    report(task, 'Docker environment', [
      `Docker daemon connected (version: ${version.Version}, API ${version.ApiVersion}, ${info.Driver}, ${info.NCPU} CPUs, ${(info.MemTotal / 2 ** 30).toFixed(1)} GiB)`,
      `Found ${info.Containers} containers, ${info.Images} images`,
    ]);
  });

  it('the CLI builds with BuildKit, cache mounts and secrets, without pulling a frontend', async () => {
    const dockerfile = [
      `FROM ${baseImage()}`,
      'RUN --mount=type=cache,id=xorb-ctr-probe,target=/probe-cache --mount=type=secret,id=probe \\',
      '    test -s /run/secrets/probe && touch /probe-cache/ok',
    ].join('\n');
    const result = await dockerCli(
      ['build', '-q', '--no-cache', '--secret', `id=probe,src=${__filename}`, '-'],
      { input: dockerfile },
    );
    expect(result.code, `${DOCKER_CLI} build failed:\n${result.stderr}`).toBe(0);
    await dockerCli(['rmi', result.stdout.trim()]);
  });

  it(`the base image ${baseImage()} is glibc with Node ${NODE_VERSION}`, async ({ task }) => {
    const info = await imageInfo(baseImage());
    const standIn = info.Config.Labels?.['io.xorb.base-standin'] === 'true';
    const result = await runOnce({
      image: baseImage(),
      entrypoint: ['sh', '-c'],
      cmd: ['node -p process.versions.node && getconf GNU_LIBC_VERSION'],
    });
    expect(result.code, result.stderr).toBe(0);
    const [node, libc] = result.stdout.trim().split('\n');
    // The stand-in carries exactly .nvmrc's version; the official tag names it too.
    expect(node).toBe(NODE_VERSION);
    expect(libc).toMatch(/^glibc 2\.\d+/);
    report(task, 'Docker environment', [
      `Base ${baseImage()}: Node ${node}, ${libc}, ${(info.Size / 1e6).toFixed(0)} MB` +
        (standIn
          ? ` (LOCAL STAND-IN, recipe ${info.Config.Labels?.['io.xorb.base-standin.recipe']})`
          : ' (official)'),
    ]);
  });

  it('the loopback test services are configured', () => {
    const services = testServices();
    for (const url of [services.pgAdminUrl, services.redisUrl, `tcp://${services.temporalAddress}`]) {
      expect(['127.0.0.1', 'localhost', '[::1]']).toContain(new URL(url).hostname);
    }
  });
});
