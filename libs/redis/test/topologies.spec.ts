import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@xorb/config-manager';
import { createLogger } from '@xorb/observability';
import { queuePrefix } from '@xorb/queues';
import { freePort } from '@xorb/testing';
import { closeRedis, createRedisConnection, type Redis } from '../src';

const run = promisify(execFile);
const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});
const processes: ChildProcess[] = [];

function redisServer(args: string[]): ChildProcess {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  processes.push(child);
  return child;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen in time`);
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
}

/** BullMQ's round trip over a given connection: a job is added, processed and its result read back. */
async function bullmqRoundTrip(connection: Redis, prefix: string): Promise<unknown> {
  const queue = new Queue('xorb-topology-test', { connection, prefix });
  const worker = new Worker(
    'xorb-topology-test',
    async (job) => ({ doubled: (job.data as { n: number }).n * 2 }),
    {
      connection: connection.duplicate(),
      prefix,
    },
  );
  try {
    const job = await queue.add('double', { n: 21 });
    await until(
      async () => (await queue.getJobState(job.id as string)) === 'completed',
      'the job to complete',
    );
    return (await queue.getJob(job.id as string))?.returnvalue;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

afterAll(() => {
  for (const child of processes) child.kill('SIGKILL');
});

describe('Redis topologies from configuration', () => {
  it('follows a Sentinel-managed master (REDIS_SENTINELS, REDIS_SENTINEL_MASTER)', async () => {
    const [masterPort, sentinelPort] = [await freePort(), await freePort()];
    const directory = await mkdtemp(join(tmpdir(), 'xorb-sentinel-'));
    redisServer(['--port', String(masterPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    await until(async () => (await cli(masterPort, 'ping')) === 'PONG', 'master start');
    const sentinelConfig = join(directory, 'sentinel.conf');
    await writeFile(
      sentinelConfig,
      `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor xorb-master 127.0.0.1 ${masterPort} 1\n`,
    );
    redisServer([sentinelConfig, '--sentinel']);
    await until(
      async () =>
        (await cli(sentinelPort, 'sentinel', 'get-master-addr-by-name', 'xorb-master')).includes(
          String(masterPort),
        ),
      'sentinel start',
    );

    const config = await loadConfig({
      env: {
        XORB_ENV: 'test',
        REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
        REDIS_SENTINEL_MASTER: 'xorb-master',
      },
      secretsDir: '/nonexistent',
    });
    const connection = createRedisConnection(config.redis, {
      connectionName: 'sentinel-test',
      logger,
      blocking: true,
    });
    try {
      await connection.set('xorb-sentinel-key', 'through-sentinel');
      expect(await cli(masterPort, 'get', 'xorb-sentinel-key')).toBe('through-sentinel');
      expect(await bullmqRoundTrip(connection, queuePrefix(config.redis))).toEqual({ doubled: 42 });
    } finally {
      await closeRedis(connection);
    }
  }, 60_000);

  it('runs BullMQ on a three-node Redis Cluster, queue keys in one hash slot (REDIS_CLUSTER_NODES)', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const directory = await mkdtemp(join(tmpdir(), 'xorb-cluster-'));
    for (const port of ports) {
      redisServer([
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(directory, `nodes-${port}.conf`),
        '--save',
        '',
        '--appendonly',
        'no',
      ]);
    }
    for (const port of ports) await until(async () => (await cli(port, 'ping')) === 'PONG', `node ${port}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await until(
      async () => (await cli(ports[0] as number, 'cluster', 'info')).includes('cluster_state:ok'),
      'cluster ok',
    );

    const config = await loadConfig({
      env: {
        XORB_ENV: 'test',
        REDIS_CLUSTER_NODES: ports.map((port) => `127.0.0.1:${port}`).join(','),
        REDIS_KEY_PREFIX: 'xorb-cluster',
      },
      secretsDir: '/nonexistent',
    });
    expect(queuePrefix(config.redis)).toBe('{xorb-cluster}');
    const connection = createRedisConnection(config.redis, {
      connectionName: 'cluster-test',
      logger,
      blocking: true,
    });
    try {
      expect(await bullmqRoundTrip(connection, queuePrefix(config.redis))).toEqual({ doubled: 42 });
    } finally {
      await closeRedis(connection);
    }
  }, 60_000);
});
