import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type Server as HttpServer,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { type Server } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintService, type FingerprintOptions } from '../src/service-fingerprint';
import { generateCertificates, type KeyPair, type TestCertificates } from './support/certificates';
import { closedPort, closeServer, listenOnLoopback } from './support/loopback';
import { RedisServer, redisServerAvailable } from './support/redis-server';
import { greetingServer, silentServer } from './support/tcp-servers';

const ADDRESS = '127.0.0.1';
const HOSTNAME = 'localhost';
const DAY = 24 * 60 * 60 * 1000;

interface RequestLog {
  host?: string;
  url?: string;
  servername?: string | false | null;
}

describe('fingerprintService', () => {
  let certs: TestCertificates;
  const servers: Server[] = [];
  const redisServers: RedisServer[] = [];

  beforeAll(() => {
    certs = generateCertificates();
  });
  afterAll(async () => {
    await Promise.all(redisServers.map((redis) => redis.stop()));
    await Promise.all(servers.map(closeServer));
    certs.remove();
  });

  async function serve(server: Server): Promise<number> {
    servers.push(server);
    return listenOnLoopback(server);
  }

  const fingerprint = (port: number, extra: Partial<FingerprintOptions> = {}) =>
    fingerprintService({
      address: ADDRESS,
      port,
      hostname: HOSTNAME,
      timeoutMs: 1_500,
      bannerWaitMs: 300,
      ...extra,
    });

  function httpsServer(
    pair: KeyPair,
    log: RequestLog[],
    extra: object = {},
    headers: Record<string, string> = {},
  ): HttpsServer {
    return createHttpsServer({ ...pair, ...extra }, (request, response) => {
      log.push({
        host: request.headers.host,
        url: request.url,
        servername: (request.socket as TLSSocket).servername,
      });
      response.writeHead(200, { 'content-type': 'text/html', ...headers });
      response.end('<html>hello</html>');
    });
  }

  describe('TLS', () => {
    it('describes a self-signed certificate expiring in 3 days, sending SNI and Host = hostname', async () => {
      const log: RequestLog[] = [];
      const port = await serve(httpsServer(certs.expiringSoon, log));
      const observation = await fingerprint(port);

      const tls = observation.tls;
      expect(tls).toMatchObject({
        subject: 'CN=localhost',
        issuer: 'CN=localhost',
        sans: ['DNS:localhost'],
        selfSigned: true,
        hostnameMatches: true,
        authorizedError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        legacyTlsAccepted: false,
      });
      expect(tls?.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(tls?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const daysLeft = (Date.parse(tls?.validTo ?? '') - Date.now()) / DAY;
      expect(daysLeft).toBeGreaterThan(2.9);
      expect(daysLeft).toBeLessThanOrEqual(3);

      expect(observation.http).toMatchObject({ scheme: 'https', status: 200, redirectsToHttps: false });
      expect(observation.http?.headers['content-type']).toBe('text/html');
      expect(log).toEqual([{ host: `localhost:${port}`, url: '/', servername: 'localhost' }]);
      expect(observation.banner).toBeUndefined();
      expect(observation.redis).toBeUndefined();
      expect(observation.dockerApi).toBeUndefined();
    });

    it('sends no SNI when the host name is an IP address, and checks the certificate against the IP', async () => {
      const log: RequestLog[] = [];
      const port = await serve(httpsServer(certs.caSigned, log));
      const observation = await fingerprint(port, { hostname: ADDRESS });
      expect(observation.tls).toMatchObject({
        hostnameMatches: true,
        selfSigned: false,
        issuer: 'CN=XORB Test CA',
      });
      expect(observation.tls?.authorizedError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      expect(log).toEqual([{ host: `${ADDRESS}:${port}`, url: '/', servername: false }]);
    });

    it('describes an expired certificate', async () => {
      const port = await serve(createTlsServer(certs.expired, (socket) => socket.end()));
      const observation = await fingerprint(port);
      expect(observation.tls).toMatchObject({
        validFrom: '2020-01-01T00:00:00.000Z',
        validTo: '2020-01-02T00:00:00.000Z',
        selfSigned: true,
        authorizedError: 'CERT_HAS_EXPIRED',
      });
      expect(observation.http).toBeUndefined();
    });

    it('notices a certificate for another host name', async () => {
      const port = await serve(createTlsServer(certs.otherHost, (socket) => socket.end()));
      const observation = await fingerprint(port);
      expect(observation.tls).toMatchObject({
        subject: 'CN=other.example',
        sans: ['DNS:other.example'],
        hostnameMatches: false,
      });
    });

    it('detects a server that still accepts TLS 1.0/1.1, and one that does not', async () => {
      const legacyPort = await serve(
        httpsServer(certs.caSigned, [], { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }),
      );
      const modernPort = await serve(httpsServer(certs.caSigned, [], { minVersion: 'TLSv1.2' }));
      const legacy = await fingerprint(legacyPort);
      const modern = await fingerprint(modernPort);
      expect(legacy.tls).toMatchObject({
        protocol: 'TLSv1.3',
        legacyTlsAccepted: true,
        legacyProtocol: 'TLSv1.1',
      });
      expect(modern.tls).toMatchObject({ protocol: 'TLSv1.3', legacyTlsAccepted: false });
      expect(modern.tls?.legacyProtocol).toBeUndefined();
    });

    it('still sees a server that speaks nothing newer than TLS 1.0, and its HTTP', async () => {
      const log: RequestLog[] = [];
      const port = await serve(
        httpsServer(certs.caSigned, log, {
          minVersion: 'TLSv1',
          maxVersion: 'TLSv1',
          ciphers: 'DEFAULT@SECLEVEL=0',
        }),
      );
      const observation = await fingerprint(port);
      expect(observation.tls).toMatchObject({
        protocol: 'TLSv1',
        legacyTlsAccepted: true,
        legacyProtocol: 'TLSv1',
      });
      expect(observation.http).toMatchObject({ scheme: 'https', status: 200 });
      expect(log).toHaveLength(1);
    });
  });

  describe('HTTP', () => {
    it('reads status and headers of a plain HTTP server, version headers included', async () => {
      const requests: IncomingHttpHeaders[] = [];
      const server: HttpServer = createHttpServer((request, response) => {
        requests.push(request.headers);
        response.writeHead(200, {
          Server: 'nginx/1.18.0',
          'X-Powered-By': 'PHP/7.4',
          'Set-Cookie': ['a=1', 'b=2'],
        });
        response.end('x'.repeat(100_000));
      });
      const port = await serve(server);
      const observation = await fingerprint(port);
      expect(observation.tls).toBeUndefined();
      expect(observation.banner).toBeUndefined();
      expect(observation.http).toMatchObject({
        scheme: 'http',
        status: 200,
        redirectsToHttps: false,
        server: 'nginx/1.18.0',
        poweredBy: 'PHP/7.4',
      });
      expect(observation.http?.headers).toMatchObject({ 'set-cookie': 'a=1, b=2', server: 'nginx/1.18.0' });
      expect(observation.http?.location).toBeUndefined();
      // One GET for HTTP (the TLS attempt is not an HTTP request).
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ host: `localhost:${port}`, connection: 'close' });
    });

    it('sees a redirect to HTTPS, and does not follow it', async () => {
      let requests = 0;
      const port = await serve(
        createHttpServer((_request, response) => {
          requests += 1;
          response.writeHead(301, { Location: 'https://localhost/' }).end();
        }),
      );
      const observation = await fingerprint(port);
      expect(observation.http).toMatchObject({
        status: 301,
        location: 'https://localhost/',
        redirectsToHttps: true,
      });
      expect(requests).toBe(1);
    });

    it('records a redirect to another host without following it, and a relative one against the page', async () => {
      let requests = 0;
      const elsewhere = await serve(
        createHttpServer((_request, response) => {
          requests += 1;
          response.end();
        }),
      );
      const port = await serve(
        createHttpServer((_request, response) =>
          response.writeHead(302, { Location: `http://127.0.0.1:${elsewhere}/next` }).end(),
        ),
      );
      const observation = await fingerprint(port);
      expect(observation.http).toMatchObject({ status: 302, redirectsToHttps: false });
      expect(requests).toBe(0);

      const relative = await serve(
        createHttpServer((_request, response) => response.writeHead(302, { Location: '/login' }).end()),
      );
      expect((await fingerprint(relative)).http).toMatchObject({
        location: '/login',
        redirectsToHttps: false,
      });
    });
  });

  describe('banners', () => {
    it('reads an FTP greeting and sends nothing HTTP-like after it', async () => {
      let received = 0;
      const server = greetingServer('220 ProFTPD 1.3.5 Server ready.\r\n');
      server.on('connection', (socket) => socket.on('data', (chunk: Buffer) => (received += chunk.length)));
      const port = await serve(server);
      const observation = await fingerprint(port);
      expect(observation.banner).toBe('220 ProFTPD 1.3.5 Server ready.');
      expect(observation.http).toBeUndefined();
      expect(observation.tls).toBeUndefined();
      // Only the TLS ClientHello of the first attempt reached it; the banner connection sent nothing.
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(2048);
    });

    it('keeps Telnet negotiation bytes (IAC) in hex', async () => {
      const iac = Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfd, 0x23, 0xff, 0xfd, 0x27]);
      const port = await serve(greetingServer(iac));
      const observation = await fingerprint(port);
      expect(observation.bannerHex).toBe(iac.toString('hex'));
      expect(observation.banner).toBe("\\xff\\xfd\\x18\\xff\\xfd \\xff\\xfd#\\xff\\xfd'");
    });
  });

  describe.runIf(redisServerAvailable)('Redis (real redis-server)', () => {
    it('finds that an open Redis answers PING, by its behaviour on a port that is not 6379', async () => {
      const redis = await new RedisServer().start();
      redisServers.push(redis);
      const observation = await fingerprint(redis.port, { timeoutMs: 800 });
      expect(observation.redis).toMatchObject({ pingAnswered: true, reply: '+PONG' });
      expect(observation.redis?.info).toMatch(/^redis_version:\d+\.\d+/m);
      expect(observation.tls).toBeUndefined();
    });

    it('finds that a password-protected Redis does not, when asked to probe Redis', async () => {
      const redis = await new RedisServer().start({ password: 'correct horse battery staple' });
      redisServers.push(redis);
      const observation = await fingerprint(redis.port, { timeoutMs: 800, probes: ['redis'] });
      expect(observation.redis).toEqual({
        pingAnswered: false,
        reply: expect.stringMatching(/^-NOAUTH/) as string,
      });
    });
  });

  describe('Docker Engine API', () => {
    function fakeDocker(headers: Record<string, string>): HttpServer {
      return createHttpServer((request, response) => {
        if (request.url === '/version') {
          response.writeHead(200, { 'Content-Type': 'application/json', ...headers });
          response.end(
            JSON.stringify({
              Version: '20.10.24',
              ApiVersion: '1.41',
              MinAPIVersion: '1.12',
              Os: 'linux',
              Arch: 'amd64',
            }),
          );
        } else {
          response.writeHead(404, { 'Content-Type': 'application/json', ...headers });
          response.end('{"message":"page not found"}\n');
        }
      });
    }

    it('finds the API by its headers and reads /version', async () => {
      const port = await serve(fakeDocker({ 'Api-Version': '1.41', Server: 'Docker/20.10.24 (linux)' }));
      const observation = await fingerprint(port);
      expect(observation.http).toMatchObject({ status: 404, server: 'Docker/20.10.24 (linux)' });
      expect(observation.dockerApi).toEqual({ exposed: true, version: '20.10.24', apiVersion: '1.41' });
    });

    it('probes /version when asked for this port, even without telling headers', async () => {
      const port = await serve(fakeDocker({}));
      expect((await fingerprint(port)).dockerApi).toBeUndefined();
      expect((await fingerprint(port, { probes: ['docker'] })).dockerApi).toMatchObject({ exposed: true });
    });

    it('reports not exposed when /version is not the Docker API', async () => {
      const port = await serve(createHttpServer((_request, response) => response.end('{"version":"1.0"}')));
      expect((await fingerprint(port, { probes: ['docker'] })).dockerApi).toEqual({ exposed: false });
    });
  });

  describe('bounds', () => {
    it('gives up on a silent service within its time bounds, with nothing to report', async () => {
      const port = await serve(silentServer());
      const started = performance.now();
      const observation = await fingerprint(port, { timeoutMs: 300, bannerWaitMs: 200 });
      const elapsed = performance.now() - started;
      expect(observation).toEqual({ address: ADDRESS, port, hostname: HOSTNAME });
      // TLS attempt (300) + banner wait (200) + HTTP attempt (300).
      expect(elapsed).toBeGreaterThanOrEqual(750);
    });

    it('stops at once when aborted, closing its connection', async () => {
      const silent = silentServer();
      const port = await serve(silent);
      const controller = new AbortController();
      const reason = new Error('cancelled');
      setTimeout(() => controller.abort(reason), 100);
      const started = performance.now();
      await expect(fingerprint(port, { timeoutMs: 10_000, signal: controller.signal })).rejects.toBe(reason);
      // Well before the 10 s timeout: the abort, not a timer, ended it.
      expect(performance.now() - started).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(silent.sockets.size).toBe(0);
    });

    it('reports nothing for a closed port', async () => {
      const port = await closedPort();
      expect(await fingerprint(port)).toEqual({ address: ADDRESS, port, hostname: HOSTNAME });
    });

    it('connects only to addresses', async () => {
      await expect(
        fingerprintService({ address: 'localhost', port: 80, hostname: 'localhost', timeoutMs: 100 }),
      ).rejects.toThrow(/IP address/);
    });
  });
});
