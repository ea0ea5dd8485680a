import { removeRunContainers } from './support/docker';

/**
 * Checks that the engine and the loopback services are configured, points testcontainers'
 * dockerode at XORB_TEST_DOCKER_HOST, tags this run's containers, and removes any left
 * over at the end. Test workers are started after this and inherit the environment.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dockerHost = process.env.XORB_TEST_DOCKER_HOST ?? process.env.DOCKER_HOST;
  if (!dockerHost) {
    throw new Error(
      'No Docker engine configured: run docker/ci/run-container-tests.sh (npm run test:containers), ' +
        'or set XORB_TEST_DOCKER_HOST (bash scripts/services.sh env) or DOCKER_HOST',
    );
  }
  process.env.DOCKER_HOST = dockerHost;
  // No registry for Ryuk's image: the suite removes its own containers.
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  process.env.XORB_CONTAINER_TESTS_RUN ??= `${Date.now().toString(36)}-${process.pid}`;
  return async () => {
    const removed = await removeRunContainers();
    if (removed > 0) process.stdout.write(`removed ${removed} leftover test container(s)\n`);
  };
}
