import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ServiceProcess, testServices, type TestDatabase } from '@xorb/testing';
import {
  freePortOn,
  generateSecrets,
  run,
  tempDir,
  tool,
  ToolProcess,
  waitFor,
} from '../../deploy/tests/support/tools';
import { waitUntilServing } from '../../deploy/tests/support/services';
import { TestDnsServer } from './support/dns-server';
import { headerCount, send, type ClientResponse } from './support/http-client';
import { renderNginx } from './support/render-nginx';

/**
 * Real nginx (Debian's), running the repository's production configuration (rendered:
 * paths, listen ports on 127.0.0.1, and Docker's DNS replaced by a test DNS server),
 * in front of real API processes on 127.0.0.2-4, all on the same port, exactly as
 * replicas sit behind the `api` name in compose. Only loopback traffic.
 */

const REPLICAS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'] as const;
const SCALED_REPLICA = '127.0.0.6';
const OPS_BACKEND = '127.0.0.5';
const DEAD_ADDRESS = '127.0.0.7';
/** Distinct client addresses, so that one test's traffic does not use another's rate-limit budget. */
const CLIENT = {
  tls: '127.0.0.10',
  hidden: '127.0.0.11',
  spread: '127.0.0.12',
  flood: '127.0.0.13',
  failover: '127.0.0.14',
  scale: '127.0.0.15',
  ops: '127.0.0.16',
  gzip: '127.0.0.17',
};
/** How long nginx caches a DNS answer in this test (production: 10s). */
const RESOLVER_VALID_SECONDS = 1;
/** nginx's clock ticks in whole seconds: an answer may be used up to a second past `valid`. */
const RESOLVER_EXPIRY_MS = (RESOLVER_VALID_SECONDS + 1) * 1000 + 500;

interface Replica {
  address: string;
  process: ServiceProcess;
}

interface NginxLogLine {
  request_id: string;
  path: string;
  status_code: number;
  upstream_addr: string;
  ip: string;
}

let nginx: ToolProcess;
let dns: TestDnsServer;
let database: TestDatabase;
let work: { path: string; remove: () => Promise<void> };
let apiPort: number;
let ports: { http: number; https: number; ops: number };
let ca: string;
let opsPassword: string;
let opsBackend: Server;
const opsSeen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
const replicas = new Map<string, Replica>();
const baseEnv: Record<string, string> = {};

function startReplica(address: string): Replica {
  const process = ServiceProcess.start('api', { ...baseEnv, API_HOST: address, API_PORT: String(apiPort) });
  const replica = { address, process };
  replicas.set(address, replica);
  return replica;
}

function https(path: string, client: string, extra: Partial<Parameters<typeof send>[0]> = {}) {
  return send({ url: `https://localhost:${ports.https}${path}`, ca, localAddress: client, ...extra });
}

/** nginx's access log lines (JSON on stdout) for the given request ids. */
function nginxLines(requestIds: readonly string[]): NginxLogLine[] {
  const wanted = new Set(requestIds);
  return (nginx.jsonLines() as unknown as NginxLogLine[]).filter((line) => wanted.has(line.request_id));
}

/** Which replica logged each request id ("Request processed" lines of the API processes). */
function answeredBy(requestIds: readonly string[]): Map<string, string> {
  const wanted = new Set(requestIds);
  const found = new Map<string, string>();
  for (const replica of replicas.values()) {
    for (const line of replica.process.logs()) {
      const id = String(line.request_id ?? '');
      if (line.message === 'Request processed' && wanted.has(id)) found.set(id, replica.address);
    }
  }
  return found;
}

/**
 * nginx and the API write their access log lines just after answering: wait until
 * `count` lines of each are there (or fail with what was found).
 */
async function logged(
  requestIds: readonly string[],
  count = { nginx: requestIds.length, api: requestIds.length },
) {
  return waitFor(
    `${count.nginx} nginx and ${count.api} API log lines`,
    async () => {
      const lines = nginxLines(requestIds);
      const byApi = answeredBy(requestIds);
      return lines.length >= count.nginx && byApi.size >= count.api ? { lines, byApi } : undefined;
    },
    5_000,
  );
}

function countBy<T>(items: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Sequential requests at a pace below the edge limit (20 r/s); returns their ids. */
async function paced(count: number, client: string, gapMs = 60): Promise<ClientResponse[]> {
  const responses: ClientResponse[] = [];
  for (let index = 0; index < count; index += 1) {
    responses.push(
      await https(`/api/v1/edge-test/${index}`, client, {
        headers: { 'x-request-id': `edge-${randomUUID()}` },
      }),
    );
    await sleep(gapMs);
  }
  return responses;
}

const requestIdOf = (response: ClientResponse): string => String(response.headers['x-request-id']);

beforeAll(async () => {
  const services = testServices();
  work = await tempDir('xorb-nginx-edge');
  await generateSecrets(join(work.path, 'secrets'));
  // nginx's workers (an unprivileged user) read the htpasswd file per request, as the
  // container's nginx user reads /run/secrets.
  await chmod(work.path, 0o755);
  await chmod(join(work.path, 'secrets'), 0o755);
  ca = await readFile(join(work.path, 'secrets/nginx_tls_certificate'), 'utf8');
  opsPassword = (await readFile(join(work.path, 'secrets/ops_password'), 'utf8')).trim();

  database = await createTestDatabase();
  apiPort = await freePortOn([...REPLICAS, SCALED_REPLICA, OPS_BACKEND, DEAD_ADDRESS]);
  Object.assign(baseEnv, {
    XORB_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: services.redisUrl,
    TEMPORAL_HOST: services.temporalAddress,
    REDIS_KEY_PREFIX: `xorb-nginx-${randomUUID().slice(0, 8)}`,
    // The edge's limits are under test; the API's own (per client address, which behind
    // nginx is nginx's until the API trusts X-Forwarded-For) would hide them.
    RATE_LIMIT_MAX_REQUESTS: '1000000',
  });
  for (const address of REPLICAS) startReplica(address);

  // The ops server's upstreams (Grafana, Prometheus) are one small HTTP server here.
  opsBackend = createServer((request, response) => {
    opsSeen.push({ path: request.url ?? '', headers: request.headers });
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ backend: 'ops', path: request.url }));
  });
  await new Promise<void>((resolveListen) => opsBackend.listen(apiPort, OPS_BACKEND, resolveListen));

  dns = await TestDnsServer.start(RESOLVER_VALID_SECONDS);
  dns.set('api', REPLICAS);
  dns.set('grafana', [OPS_BACKEND]);
  dns.set('prometheus', [OPS_BACKEND]);
  dns.set('dead', [DEAD_ADDRESS]);

  const [http, httpsPort, ops] = await Promise.all([
    freePortOn(['127.0.0.1']),
    freePortOn(['127.0.0.1']),
    freePortOn(['127.0.0.1']),
  ]);
  ports = { http, https: httpsPort, ops };
  const rendered = await renderNginx({
    site: 'production',
    dir: join(work.path, 'nginx'),
    secretsDir: join(work.path, 'secrets'),
    ports,
    resolver: { address: dns.address, valid: `${RESOLVER_VALID_SECONDS}s` },
    upstreams: {
      api: `api:${apiPort}`,
      grafana: `grafana:${apiPort}`,
      prometheus: `prometheus:${apiPort}`,
    },
  });
  const nginxBin = await tool('XORB_NGINX_BIN');
  const accessLog = join(work.path, 'nginx-stdout.log');
  const check = await run(nginxBin, ['-t', '-c', rendered.config], { stdoutFile: accessLog });
  expect(check.code, check.stderr).toBe(0);
  nginx = ToolProcess.start('nginx', nginxBin, ['-c', rendered.config, '-g', 'daemon off;'], {
    stdoutFile: accessLog,
  });

  await Promise.all(
    [...replicas.values()].map((replica) =>
      waitUntilServing(replica.process, `http://${replica.address}:${apiPort}/health`),
    ),
  );
  await waitFor(
    'nginx on https',
    async () => ((await https('/health', CLIENT.tls)).status === 200 ? true : undefined),
    20_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${nginx.describe()}`);
  });
}, 180_000);

afterAll(async () => {
  await nginx?.stop();
  for (const replica of replicas.values()) replica.process.kill();
  await new Promise<void>((resolveClose) =>
    opsBackend ? opsBackend.close(() => resolveClose()) : resolveClose(),
  );
  await dns?.close();
  await database?.drop();
  await work?.remove();
});

describe('nginx TLS termination', () => {
  it('serves HTTPS with a certificate generated for the test, TLS 1.2+ only', async () => {
    const response = await https('/health', CLIENT.tls);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok', service: 'api' });
    expect(response.tlsProtocol).toBe('TLSv1.3');

    const openssl = await tool('XORB_OPENSSL_BIN');
    const connect = (version: string) =>
      run(
        openssl,
        ['s_client', '-connect', `127.0.0.1:${ports.https}`, '-servername', 'localhost', version],
        {
          timeoutMs: 10_000,
        },
      );
    const tls12 = await connect('-tls1_2');
    expect(tls12.stdout).toMatch(/Protocol\s*:\s*TLSv1\.2/);
    expect(tls12.stdout).toMatch(/Cipher is ECDHE-ECDSA-/);
    // The client offers TLS 1.1 (its ClientHello is sent); the server answers with an alert.
    const tls11 = await connect('-tls1_1');
    expect(tls11.stdout).toMatch(/Cipher is \(NONE\)/);
    expect(tls11.stdout).toMatch(/Cipher\s*:\s*0000/);
  });

  it('refuses a client that does not trust the certificate', async () => {
    await expect(
      send({ url: `https://localhost:${ports.https}/health`, localAddress: CLIENT.tls }),
    ).rejects.toThrow(/self[- ]signed|unable to verify/i);
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const response = await send({
      url: `http://127.0.0.1:${ports.http}/api/v1/targets?x=1`,
      localAddress: CLIENT.tls,
    });
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('https://127.0.0.1/api/v1/targets?x=1');
  });

  it('sets the security headers once each, HSTS included, and hides the server version', async () => {
    const response = await https('/api/v1/edge-test/headers', CLIENT.tls);
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.server).toBe('nginx');
    for (const name of [
      'strict-transport-security',
      'x-content-type-options',
      'content-security-policy',
      'x-request-id',
    ]) {
      expect(headerCount(response, name), name).toBe(1);
    }
  });
});

describe('nginx exposes the API and nothing else', () => {
  it.each([
    ['/metrics'],
    ['/ready'],
    ['/api/../metrics'],
    ['/%6Detrics'],
    ['/metrics/'],
    ['/admin'],
    ['/.env'],
    ['/'],
  ])('answers %s with its own 404, without asking the API', async (path) => {
    const requestId = `hidden-${randomUUID()}`;
    const response = await https('/', CLIENT.hidden, {
      rawPath: path,
      headers: { 'x-request-id': requestId },
    });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({ status: 404, request_id: requestId });
    expect(response.body).not.toContain('process_cpu');
    const { lines } = await logged([requestId], { nginx: 1, api: 0 });
    expect(lines).toEqual([expect.objectContaining({ upstream_addr: '' })]);
    expect(answeredBy([requestId]).size).toBe(0);
  });

  it('compresses JSON answers for clients that accept gzip', async () => {
    const longPath = `/api/v1/edge-test/${'x'.repeat(700)}`;
    const response = await https(longPath, CLIENT.gzip, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(404);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(response.body)).toMatchObject({ status: 404 });
  });
});

describe('nginx balancing over the API replicas', () => {
  // nginx picks among the addresses of the DNS answer (it rotates the answer for each
  // request), so the spread is even on average, not a strict rotation.
  it('spreads requests over all three replicas, each answer coming from the replica nginx names', async () => {
    const responses = await paced(150, CLIENT.spread);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 404));
    const ids = responses.map(requestIdOf);
    const { lines, byApi } = await logged(ids);
    expect(byApi.size).toBe(150);
    expect(lines).toHaveLength(150);
    for (const line of lines) {
      expect(line.upstream_addr).toBe(`${byApi.get(line.request_id)}:${apiPort}`);
      expect(line.ip, 'nginx sees the client address').toBe(CLIENT.spread);
    }
    const counts = countBy([...byApi.values()]);
    console.info('[nginx] 150 requests per replica:', Object.fromEntries(counts));
    for (const address of REPLICAS) expect(counts.get(address) ?? 0).toBeGreaterThanOrEqual(20);
  }, 60_000);
});

describe('nginx rate limits at the edge', () => {
  it('answers 429 itself once a client exceeds its burst, and the API never sees those requests', async () => {
    const responses = await Promise.all(
      Array.from({ length: 120 }, (_, index) =>
        https(`/api/v1/edge-test/flood-${index}`, CLIENT.flood, {
          headers: { 'x-request-id': `flood-${randomUUID()}` },
        }),
      ),
    );
    const limited = responses.filter((response) => response.status === 429);
    const passed = responses.filter((response) => response.status !== 429);
    console.info(
      `[nginx] flood of 120 concurrent requests: ${passed.length} passed, ${limited.length} got 429`,
    );
    // burst=40 nodelay: about 40 pass at once (a few more as the 20 r/s bucket refills).
    expect(passed.length).toBeGreaterThanOrEqual(35);
    expect(passed.length).toBeLessThanOrEqual(60);
    expect(limited.length).toBeGreaterThan(50);
    for (const response of limited) {
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.headers['retry-after']).toBe('1');
      expect(JSON.parse(response.body)).toMatchObject({ status: 429, title: 'Too Many Requests' });
    }
    await logged(passed.map(requestIdOf));
    expect(answeredBy(limited.map(requestIdOf)).size).toBe(0);

    // Another client is not affected, and the flooding one recovers.
    expect((await https('/api/v1/edge-test/other', CLIENT.tls)).status).toBe(404);
    await sleep(2_500);
    expect((await https('/api/v1/edge-test/after', CLIENT.flood)).status).toBe(404);
  }, 60_000);
});

describe('nginx failover and re-resolution', () => {
  it('keeps answering when a replica dies: every request is served by a live one', async () => {
    const victim = replicas.get('127.0.0.3') as Replica;
    victim.process.kill();
    await waitFor('the replica to stop listening', async () =>
      (await send({ url: `http://127.0.0.3:${apiPort}/health` }).then(
        () => false,
        () => true,
      ))
        ? true
        : undefined,
    );

    const responses = await paced(60, CLIENT.failover);
    const statuses = countBy(responses.map((response) => response.status));
    expect(Object.fromEntries(statuses)).toEqual({ 404: 60 });
    const ids = responses.map(requestIdOf);
    const { lines, byApi } = await logged(ids);
    expect(byApi.size).toBe(60);
    expect([...byApi.values()]).not.toContain('127.0.0.3');
    const retried = lines.filter((line) => line.upstream_addr.includes(','));
    for (const line of retried) expect(line.upstream_addr.startsWith(`127.0.0.3:${apiPort}, `)).toBe(true);
    const latencies = responses.map((response) => response.ms).sort((a, b) => a - b);
    console.info(
      `[nginx] after a replica died: 60/60 answered, ${retried.length} retried on the next replica, ` +
        `latency p50 ${latencies[30]} ms, max ${latencies[59]} ms`,
    );
  }, 60_000);

  it('sends traffic to a new replica once DNS lists it, without a reload (scale up)', async () => {
    const added = startReplica(SCALED_REPLICA);
    await waitUntilServing(added.process, `http://${SCALED_REPLICA}:${apiPort}/health`);
    const queriesBefore = dns.queriesFor('api');
    dns.set('api', ['127.0.0.2', '127.0.0.4', SCALED_REPLICA]);
    await sleep(RESOLVER_EXPIRY_MS);

    const responses = await paced(60, CLIENT.scale);
    const { byApi } = await logged(responses.map(requestIdOf));
    const counts = countBy([...byApi.values()]);
    console.info('[nginx] after scaling to a new replica:', Object.fromEntries(counts));
    expect(byApi.size).toBe(60);
    expect(counts.get(added.address) ?? 0).toBeGreaterThanOrEqual(8);
    expect(dns.queriesFor('api')).toBeGreaterThan(queriesBefore);
    expect(nginx.running).toBe(true);
  }, 60_000);

  it('answers 502 as problem+json when no replica is reachable', async () => {
    dns.set('api', [DEAD_ADDRESS]);
    await sleep(RESOLVER_EXPIRY_MS);
    try {
      const response = await waitFor(
        'nginx to re-resolve to the dead address',
        async () => {
          const answer = await https('/api/v1/edge-test/nobody', CLIENT.scale);
          return answer.status === 502 ? answer : undefined;
        },
        5_000,
      );
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body)).toMatchObject({ status: 502, title: 'Bad Gateway' });
    } finally {
      dns.set('api', ['127.0.0.2', '127.0.0.4', SCALED_REPLICA]);
      await sleep(RESOLVER_EXPIRY_MS);
    }
  });
});

describe('nginx ops server', () => {
  const ops = (path: string, auth?: string) =>
    send({
      url: `https://localhost:${ports.ops}${path}`,
      ca,
      localAddress: CLIENT.ops,
      headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {},
    });

  it('asks for the ops password, then proxies Grafana without passing the password on', async () => {
    expect((await ops('/grafana/api/health')).status).toBe(401);
    expect((await ops('/grafana/api/health', 'ops:wrong-password')).status).toBe(401);
    const response = await ops('/grafana/api/health', `ops:${opsPassword}`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ backend: 'ops', path: '/api/health' });
    expect(opsSeen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('reaches the API’s queue dashboard, which the public server hides', async () => {
    const requestId = `ops-${randomUUID()}`;
    const response = await send({
      url: `https://localhost:${ports.ops}/admin/queues`,
      ca,
      localAddress: CLIENT.ops,
      headers: {
        authorization: `Basic ${Buffer.from(`ops:${opsPassword}`).toString('base64')}`,
        'x-request-id': requestId,
      },
    });
    // The API answers (it wants an admin credential of its own, or has no dashboard).
    expect([401, 404]).toContain(response.status);
    const { byApi } = await logged([requestId], { nginx: 0, api: 1 });
    expect(byApi.size).toBe(1);
    const publicAnswer = await https('/admin/queues', CLIENT.ops);
    expect(publicAnswer.status).toBe(404);
    expect(publicAnswer.headers['content-type']).toBe('application/problem+json');
  });

  it('proxies Prometheus but not its admin API', async () => {
    const response = await ops('/prometheus/api/v1/query?query=up', `ops:${opsPassword}`);
    expect(JSON.parse(response.body)).toEqual({ backend: 'ops', path: '/api/v1/query?query=up' });
    expect((await ops('/prometheus/api/v1/admin/tsdb/snapshot', `ops:${opsPassword}`)).status).toBe(403);
  });
});
