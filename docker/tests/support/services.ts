import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { HOST_VARIABLE, PORT_VARIABLE, type App } from './constants';

/** The loopback services of scripts/services.sh (`eval "$(scripts/services.sh env)"`). */
export function testServices(): {
  pgAdminUrl: string;
  redisUrl: string;
  temporalAddress: string;
  databaseUrl: string;
} {
  const names = [
    'XORB_TEST_PG_ADMIN_URL',
    'XORB_TEST_REDIS_URL',
    'XORB_TEST_TEMPORAL_ADDRESS',
    'XORB_TEST_DATABASE_URL',
  ];
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} unset: run 'bash scripts/services.sh up && eval "$(bash scripts/services.sh env)"' first`,
    );
  }
  return {
    pgAdminUrl: process.env.XORB_TEST_PG_ADMIN_URL as string,
    redisUrl: process.env.XORB_TEST_REDIS_URL as string,
    temporalAddress: process.env.XORB_TEST_TEMPORAL_ADDRESS as string,
    databaseUrl: process.env.XORB_TEST_DATABASE_URL as string,
  };
}

export function uniqueName(prefix = 'xorb_ctr'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** A password the production rules accept: long, varied, not well-known. */
export function strongSecret(length = 40): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

/**
 * A role and database of its own with a strong password: production refuses the shared
 * test role's password (xorb/xorb), and the suite must not touch other tests' databases.
 */
export async function createProductionDatabase(): Promise<{
  /** postgres://role@127.0.0.1:port/db: the password comes from the postgres_password secret. */
  url: string;
  password: string;
  drop: () => Promise<void>;
}> {
  const { pgAdminUrl } = testServices();
  const name = uniqueName();
  const password = strongSecret(32);
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
  } finally {
    await admin.end();
  }
  const parsed = new URL(pgAdminUrl);
  return {
    url: `postgres://${name}@${parsed.hostname}:${parsed.port}/${name}`,
    password,
    drop: async () => {
      const client = new pg.Client({ connectionString: pgAdminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP ROLE IF EXISTS ${name}`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A directory of Docker-secret files (one per name), readable by the container user. */
export async function secretsDirectory(
  secrets: Record<string, string>,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'xorb-ctr-secrets-'));
  await chmod(path, 0o755);
  for (const [name, value] of Object.entries(secrets)) {
    await writeFile(join(path, name), value, { mode: 0o644 });
  }
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('could not allocate a port');
  return address.port;
}

/**
 * Everything a production container needs to become ready against the loopback services
 * (run it with network "host"): its own database role, secrets, task queue and Redis
 * prefix (so it never takes other tests' work), and its port bound to 127.0.0.1 only.
 */
export interface ProductionSetup {
  env: (app: App, port: number, overrides?: Record<string, string>) => Record<string, string>;
  secretsPath: string;
  secrets: Record<string, string>;
  cleanup: () => Promise<void>;
}

export async function productionSetup(): Promise<ProductionSetup> {
  const services = testServices();
  const database = await createProductionDatabase();
  const secrets = { postgres_password: database.password, jwt_secret: strongSecret(48) };
  const directory = await secretsDirectory(secrets);
  const scope = uniqueName('xorb-ctr').replace('_', '-');
  return {
    secretsPath: directory.path,
    secrets,
    env: (app, port, overrides = {}) => ({
      DATABASE_URL: database.url,
      REDIS_URL: services.redisUrl,
      TEMPORAL_HOST: services.temporalAddress,
      TEMPORAL_TASK_QUEUE: scope,
      REDIS_KEY_PREFIX: scope,
      [PORT_VARIABLE[app]]: String(port),
      [HOST_VARIABLE[app]]: '127.0.0.1',
      ...overrides,
    }),
    cleanup: async () => {
      await directory.remove();
      await database.drop();
    },
  };
}

/**
 * A loopback TCP proxy in front of a real service that can HOLD traffic (connections stay
 * open, bytes wait) and release it, or cut it. Lets a test keep a request in flight.
 */
export class StallableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private held = false;
  private queue: Array<() => void> = [];
  port = 0;

  constructor(private readonly target: string) {}

  /** Starts listening; returns the target URL rewritten to point at the proxy. */
  async start(): Promise<string> {
    const parsed = new URL(this.target.includes('://') ? this.target : `tcp://${this.target}`);
    const [targetHost, targetPort] = [parsed.hostname, Number(parsed.port)];
    this.server = createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      const forward = (to: Socket) => (chunk: Buffer) => {
        if (this.held) this.queue.push(() => to.write(chunk));
        else to.write(chunk);
      };
      client.on('data', forward(upstream));
      upstream.on('data', forward(client));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(0, '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    if (!this.target.includes('://')) return `127.0.0.1:${this.port}`;
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString().replace(/\/$/, '');
  }

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    const pending = this.queue;
    this.queue = [];
    for (const write of pending) write();
  }

  async close(): Promise<void> {
    this.release();
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** GET with a timeout; never throws for HTTP errors. */
export async function httpGet(
  url: string,
  timeoutMs = 5_000,
): Promise<{ status: number; body: string; contentType: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
  };
}

/** Polls until the URL answers the wanted status; returns ms waited. */
export async function waitForHttp(url: string, status = 200, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  let last = 'no answer';
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await httpGet(url, 2_000);
      if (response.status === status) return Date.now() - started;
      last = `HTTP ${response.status}: ${response.body.slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}
