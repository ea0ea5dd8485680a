import { freePort, ServiceProcess, waitForHttp } from '@xorb/testing';
import type { ApiFixture } from '../../../api/test/support/api-fixture';

/** A real worker process on the API fixture's database and Redis prefix. */
export async function startWorker(
  api: ApiFixture,
  env: Record<string, string> = {},
): Promise<{ process: ServiceProcess; baseUrl: string }> {
  const port = await freePort();
  const process = ServiceProcess.start('worker', {
    XORB_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: api.config.database.getUrl(),
    REDIS_URL: api.config.redis.getUrl(),
    REDIS_KEY_PREFIX: api.config.redis.keyPrefix,
    WORKER_PORT: String(port),
    ...env,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/health`, 200, 60_000);
  return { process, baseUrl };
}

export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(`${what} not reached in time; last: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
