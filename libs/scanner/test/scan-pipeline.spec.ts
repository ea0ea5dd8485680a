import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckId } from '../src/check-catalog';
import { evaluateChecks } from '../src/evaluate-checks';
import { type FindingDraft } from '../src/finding-draft';
import { probePorts } from '../src/port-probe';
import { fingerprintService } from '../src/service-fingerprint';
import { type ServiceObservation } from '../src/service-observation';
import { generateCertificates, type TestCertificates } from './support/certificates';
import { closedPort, closeServer, listenOnLoopback } from './support/loopback';
import { RedisServer, redisServerAvailable } from './support/redis-server';
import { greetingServer } from './support/tcp-servers';

/**
 * The scan pipeline the orchestrator runs (probe → fingerprint → evaluate),
 * against real loopback services, checking the findings that come out.
 */
const ADDRESS = '127.0.0.1';
const context = { hostname: 'localhost', now: new Date(), expiringWithinDays: 14 };
const fingerprintOptions = { address: ADDRESS, hostname: 'localhost', timeoutMs: 800, bannerWaitMs: 300 };

const noHeaders: RequestListener = (_request, response) => response.end('<html>hello</html>');

function checkIdsByPort(findings: FindingDraft[]): Record<number, CheckId[]> {
  const byPort: Record<number, CheckId[]> = {};
  for (const finding of findings) (byPort[finding.port] ??= []).push(finding.checkId);
  for (const ids of Object.values(byPort)) ids.sort();
  return byPort;
}

describe('scan pipeline against loopback services', () => {
  let certs: TestCertificates;
  const servers: Server[] = [];
  let redis: RedisServer | undefined;

  beforeAll(() => {
    certs = generateCertificates();
  });
  afterAll(async () => {
    await redis?.stop();
    await Promise.all(servers.map(closeServer));
    certs.remove();
  });

  async function serve(server: Server): Promise<number> {
    servers.push(server);
    return listenOnLoopback(server);
  }

  async function scanPorts(ports: number[]): Promise<{ open: number[]; findings: FindingDraft[] }> {
    const { open } = await probePorts({
      address: ADDRESS,
      ports,
      concurrency: 4,
      ratePerSecond: 100,
      timeoutMs: 1_000,
    });
    const observations: ServiceObservation[] = [];
    for (const port of open) observations.push(await fingerprintService({ ...fingerprintOptions, port }));
    return { open, findings: evaluateChecks(observations, context) };
  }

  it.runIf(redisServerAvailable)(
    'finds exactly the expected issues on an HTTP server without security headers, a self-signed TLS server expiring soon, and an open Redis — with the same fingerprints on a rescan',
    async () => {
      const httpPort = await serve(createHttpServer(noHeaders));
      const tlsPort = await serve(createTlsServer(certs.expiringSoon, (socket) => socket.end()));
      redis = await new RedisServer().start();
      const ports = [httpPort, tlsPort, redis.port, await closedPort()];

      const first = await scanPorts(ports);
      expect(first.open).toEqual([httpPort, tlsPort, redis.port].sort((a, b) => a - b));
      expect(checkIdsByPort(first.findings)).toEqual({
        [httpPort]: [
          'http.content-type-options-missing',
          'http.csp-missing',
          'http.frame-protection-missing',
          'http.no-https-redirect',
        ],
        [tlsPort]: ['tls.certificate-expiring', 'tls.certificate-self-signed'],
        [redis.port]: ['redis.unauthenticated'],
      });
      for (const finding of first.findings) {
        expect(finding.severity).toMatch(/^(info|low|medium|high|critical)$/);
        expect(finding.cwe).toMatch(/^CWE-\d+$/);
        expect(finding.remediation.length).toBeGreaterThan(20);
      }

      const second = await scanPorts(ports);
      expect(second.findings.map((finding) => finding.fingerprint).sort()).toEqual(
        first.findings.map((finding) => finding.fingerprint).sort(),
      );
    },
  );

  it.each<[string, () => Server, CheckId[]]>([
    [
      'an expired self-signed certificate',
      () => createTlsServer(certs.expired, (s) => s.end()),
      ['tls.certificate-expired', 'tls.certificate-self-signed'],
    ],
    [
      'a certificate for another host',
      () => createTlsServer(certs.otherHost, (s) => s.end()),
      ['tls.certificate-hostname-mismatch', 'tls.certificate-self-signed'],
    ],
    [
      'a CA-issued certificate on a server that accepts TLS 1.1',
      () =>
        createTlsServer({ ...certs.caSigned, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) =>
          s.end(),
        ),
      ['tls.legacy-protocol-accepted'],
    ],
    [
      'HTTPS without HSTS but otherwise well configured',
      () =>
        createHttpsServer(certs.caSigned, (_request, response) =>
          response
            .writeHead(200, {
              'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'",
              'X-Content-Type-Options': 'nosniff',
            })
            .end(),
        ),
      ['http.hsts-missing'],
    ],
    [
      'HTTPS with every security header',
      () =>
        createHttpsServer(certs.caSigned, (_request, response) =>
          response
            .writeHead(200, {
              'Strict-Transport-Security': 'max-age=63072000',
              'Content-Security-Policy': "default-src 'self'",
              'X-Frame-Options': 'DENY',
              'X-Content-Type-Options': 'nosniff',
              Server: 'nginx',
            })
            .end(),
        ),
      [],
    ],
    [
      'nginx/PHP version headers',
      () =>
        createHttpServer((_request, response) =>
          response.writeHead(200, { Server: 'nginx/1.18.0', 'X-Powered-By': 'PHP/7.4' }).end(),
        ),
      [
        'http.content-type-options-missing',
        'http.csp-missing',
        'http.frame-protection-missing',
        'http.no-https-redirect',
        'http.version-disclosure',
        'http.version-disclosure',
      ],
    ],
    [
      'plain HTTP redirecting to HTTPS',
      () => createHttpServer((_q, r) => r.writeHead(301, { Location: 'https://localhost/' }).end()),
      [],
    ],
    [
      'a Docker Engine API',
      () =>
        createHttpServer((request, response) => {
          const headers = {
            'Content-Type': 'application/json',
            'Api-Version': '1.41',
            Server: 'Docker/20.10.24 (linux)',
          };
          if (request.url === '/version')
            response.writeHead(200, headers).end('{"Version":"20.10.24","ApiVersion":"1.41"}');
          else response.writeHead(404, headers).end('{"message":"page not found"}');
        }),
      ['docker.api-exposed', 'http.version-disclosure'],
    ],
    ['an FTP server', () => greetingServer('220 ProFTPD 1.3.5 Server ready.\r\n'), ['plaintext.ftp']],
    [
      'a Telnet server',
      () => greetingServer(Buffer.from([0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03, 0xff, 0xfd, 0x18])),
      ['plaintext.telnet'],
    ],
    ['an SSH server', () => greetingServer('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'), []],
  ])('reports exactly what is wrong with %s', async (_name, create, expected) => {
    const port = await serve(create());
    const observation = await fingerprintService({ ...fingerprintOptions, port });
    const findings = evaluateChecks([observation], context);
    expect(findings.map((finding) => finding.checkId).sort()).toEqual(expected);
  });
});
