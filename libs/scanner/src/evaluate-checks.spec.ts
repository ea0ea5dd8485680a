import { describe, expect, it } from 'vitest';
import { CHECKS, type CheckId } from './check-catalog';
import { evaluateChecks } from './evaluate-checks';
import { type FindingDraft } from './finding-draft';
import { findingFingerprint } from './finding-fingerprint';
import { type HttpObservation, type ServiceObservation, type TlsObservation } from './service-observation';

const NOW = new Date('2026-01-15T10:30:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const context = { hostname: 'app.example.com', now: NOW, expiringWithinDays: 14 };

function tls(overrides: Partial<TlsObservation> = {}): TlsObservation {
  return {
    protocol: 'TLSv1.3',
    subject: 'CN=app.example.com',
    issuer: 'CN=Example CA',
    sans: ['DNS:app.example.com'],
    validFrom: new Date(NOW.getTime() - 30 * DAY).toISOString(),
    validTo: new Date(NOW.getTime() + 300 * DAY).toISOString(),
    serialNumber: '01',
    fingerprint256: 'AA:BB:CC',
    selfSigned: false,
    hostnameMatches: true,
    legacyTlsAccepted: false,
    ...overrides,
  };
}

const SECURE_HEADERS: Record<string, string> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  server: 'nginx',
};

function http(overrides: Partial<HttpObservation> = {}): HttpObservation {
  return {
    scheme: 'https',
    status: 200,
    redirectsToHttps: false,
    server: 'nginx',
    headers: { ...SECURE_HEADERS },
    ...overrides,
  };
}

function observe(overrides: Partial<ServiceObservation>): ServiceObservation {
  return { address: '192.0.2.10', port: 443, hostname: context.hostname, ...overrides };
}

function ids(findings: FindingDraft[]): CheckId[] {
  return findings.map((finding) => finding.checkId).sort();
}

function only(findings: FindingDraft[], checkId: CheckId): FindingDraft {
  const matching = findings.filter((finding) => finding.checkId === checkId);
  expect(matching).toHaveLength(1);
  return matching[0] as FindingDraft;
}

describe('CHECKS catalog', () => {
  const expected: Record<CheckId, [string, string]> = {
    'tls.certificate-expired': ['high', 'CWE-298'],
    'tls.certificate-expiring': ['medium', 'CWE-298'],
    'tls.certificate-self-signed': ['medium', 'CWE-295'],
    'tls.certificate-hostname-mismatch': ['medium', 'CWE-297'],
    'tls.legacy-protocol-accepted': ['medium', 'CWE-326'],
    'http.no-https-redirect': ['medium', 'CWE-319'],
    'http.hsts-missing': ['low', 'CWE-523'],
    'http.csp-missing': ['low', 'CWE-693'],
    'http.content-type-options-missing': ['low', 'CWE-693'],
    'http.frame-protection-missing': ['low', 'CWE-1021'],
    'http.version-disclosure': ['low', 'CWE-200'],
    'redis.unauthenticated': ['critical', 'CWE-306'],
    'docker.api-exposed': ['critical', 'CWE-306'],
    'plaintext.ftp': ['high', 'CWE-319'],
    'plaintext.telnet': ['high', 'CWE-319'],
  };

  it('lists every check with its severity, CWE, title, summary and remediation', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(Object.keys(expected).sort());
    for (const [id, definition] of Object.entries(CHECKS)) {
      expect(definition.id).toBe(id);
      expect([definition.severity, definition.cwe]).toEqual(expected[id as CheckId]);
      expect(definition.cwe).toMatch(/^CWE-\d+$/);
      expect(definition.title.length).toBeGreaterThan(5);
      expect(definition.summary.length).toBeGreaterThan(10);
      expect(definition.remediation.length).toBeGreaterThan(20);
    }
    expect(Object.isFrozen(CHECKS)).toBe(true);
  });
});

describe('evaluateChecks', () => {
  it('finds nothing on a well-configured HTTPS service', () => {
    expect(evaluateChecks([observe({ tls: tls(), http: http() })], context)).toEqual([]);
  });

  describe('TLS certificate', () => {
    it('reports an expired certificate (and not also "expiring")', () => {
      const findings = evaluateChecks(
        [observe({ tls: tls({ validTo: '2025-12-01T00:00:00.000Z' }) })],
        context,
      );
      expect(ids(findings)).toEqual(['tls.certificate-expired']);
      const finding = only(findings, 'tls.certificate-expired');
      expect(finding.evidence).toMatchObject({ validTo: '2025-12-01T00:00:00.000Z', daysSinceExpiry: 45 });
      expect(finding.description).toContain('expired');
    });

    it('reports a certificate expiring within the threshold, not one beyond it', () => {
      const soon = tls({ validTo: new Date(NOW.getTime() + 3 * DAY + 1000).toISOString() });
      expect(
        only(evaluateChecks([observe({ tls: soon })], context), 'tls.certificate-expiring').evidence,
      ).toMatchObject({
        daysRemaining: 3,
        thresholdDays: 14,
      });
      const later = tls({ validTo: new Date(NOW.getTime() + 15 * DAY).toISOString() });
      expect(evaluateChecks([observe({ tls: later })], context)).toEqual([]);
      expect(ids(evaluateChecks([observe({ tls: later })], { ...context, expiringWithinDays: 30 }))).toEqual([
        'tls.certificate-expiring',
      ]);
    });

    it('reports a self-signed certificate, not a CA-issued one', () => {
      const selfSigned = tls({
        selfSigned: true,
        issuer: 'CN=app.example.com',
        authorizedError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
      const finding = only(
        evaluateChecks([observe({ tls: selfSigned })], context),
        'tls.certificate-self-signed',
      );
      expect(finding.evidence).toMatchObject({
        verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        fingerprint256: 'AA:BB:CC',
      });
      expect(evaluateChecks([observe({ tls: tls() })], context)).toEqual([]);
    });

    it('reports a certificate that does not cover the host name', () => {
      const other = tls({ hostnameMatches: false, subject: 'CN=other.example', sans: ['DNS:other.example'] });
      const finding = only(
        evaluateChecks([observe({ tls: other })], context),
        'tls.certificate-hostname-mismatch',
      );
      expect(finding.description).toContain('DNS:other.example');
      expect(finding.evidence).toMatchObject({ hostname: 'app.example.com' });
    });

    it('reports TLS 1.0/1.1 acceptance', () => {
      const legacy = tls({ legacyTlsAccepted: true, legacyProtocol: 'TLSv1.1' });
      const finding = only(
        evaluateChecks([observe({ tls: legacy })], context),
        'tls.legacy-protocol-accepted',
      );
      expect(finding.evidence).toMatchObject({ legacyProtocol: 'TLSv1.1', preferredProtocol: 'TLSv1.3' });
    });
  });

  describe('HTTP', () => {
    it('reports plain HTTP without a redirect to HTTPS, not one that redirects', () => {
      const plain = http({ scheme: 'http', headers: { ...SECURE_HEADERS } });
      delete plain.headers['strict-transport-security'];
      expect(ids(evaluateChecks([observe({ port: 80, http: plain })], context))).toEqual([
        'http.no-https-redirect',
      ]);

      const redirecting = http({
        scheme: 'http',
        status: 301,
        location: 'https://app.example.com/',
        redirectsToHttps: true,
        headers: {},
      });
      expect(evaluateChecks([observe({ port: 80, http: redirecting })], context)).toEqual([]);

      const toHttp = http({
        scheme: 'http',
        status: 302,
        location: 'http://elsewhere.example/',
        headers: { ...SECURE_HEADERS },
      });
      const finding = only(
        evaluateChecks([observe({ port: 80, http: toHttp })], context),
        'http.no-https-redirect',
      );
      expect(finding.evidence).toMatchObject({ status: 302, location: 'http://elsewhere.example/' });
    });

    it('reports missing HSTS on HTTPS only, and HSTS with max-age=0 as missing', () => {
      const noHsts = { ...SECURE_HEADERS };
      delete noHsts['strict-transport-security'];
      expect(ids(evaluateChecks([observe({ http: http({ headers: noHsts }) })], context))).toEqual([
        'http.hsts-missing',
      ]);
      const disabled = { ...SECURE_HEADERS, 'strict-transport-security': 'max-age=0' };
      expect(ids(evaluateChecks([observe({ http: http({ headers: disabled }) })], context))).toEqual([
        'http.hsts-missing',
      ]);
      expect(evaluateChecks([observe({ http: http() })], context)).toEqual([]);
    });

    it('reports a missing CSP; Report-Only does not count', () => {
      const headers: Record<string, string> = {
        ...SECURE_HEADERS,
        'x-frame-options': 'DENY',
        'content-security-policy-report-only': "default-src 'self'",
      };
      delete headers['content-security-policy'];
      const findings = evaluateChecks([observe({ http: http({ headers }) })], context);
      expect(ids(findings)).toEqual(['http.csp-missing']);
    });

    it('reports X-Content-Type-Options missing or not nosniff', () => {
      const missing = { ...SECURE_HEADERS };
      delete missing['x-content-type-options'];
      expect(ids(evaluateChecks([observe({ http: http({ headers: missing }) })], context))).toEqual([
        'http.content-type-options-missing',
      ]);
      const wrong = { ...SECURE_HEADERS, 'x-content-type-options': 'sniff' };
      expect(ids(evaluateChecks([observe({ http: http({ headers: wrong }) })], context))).toEqual([
        'http.content-type-options-missing',
      ]);
    });

    it('accepts X-Frame-Options or CSP frame-ancestors as frame protection', () => {
      const csp = { ...SECURE_HEADERS, 'content-security-policy': "default-src 'self'" };
      expect(ids(evaluateChecks([observe({ http: http({ headers: csp }) })], context))).toEqual([
        'http.frame-protection-missing',
      ]);
      expect(
        evaluateChecks(
          [observe({ http: http({ headers: { ...csp, 'x-frame-options': 'SAMEORIGIN' } }) })],
          context,
        ),
      ).toEqual([]);
      expect(
        ids(
          evaluateChecks(
            [
              observe({
                http: http({ headers: { ...csp, 'x-frame-options': 'ALLOW-FROM https://a.example' } }),
              }),
            ],
            context,
          ),
        ),
      ).toEqual(['http.frame-protection-missing']);
    });

    it('holds redirects to HSTS only', () => {
      const redirect = http({ status: 301, location: '/login', headers: {} });
      expect(ids(evaluateChecks([observe({ http: redirect })], context))).toEqual(['http.hsts-missing']);
    });

    it('reports a version in Server and in X-Powered-By, one finding each, not a bare product name', () => {
      const headers = { ...SECURE_HEADERS, server: 'nginx/1.18.0', 'x-powered-by': 'PHP/7.4' };
      const findings = evaluateChecks([observe({ http: http({ headers }) })], context);
      const disclosures = findings.filter((finding) => finding.checkId === 'http.version-disclosure');
      expect(disclosures.map((finding) => finding.evidence)).toEqual([
        expect.objectContaining({ header: 'Server', value: 'nginx/1.18.0' }),
        expect.objectContaining({ header: 'X-Powered-By', value: 'PHP/7.4' }),
      ]);
      expect(new Set(disclosures.map((finding) => finding.fingerprint)).size).toBe(2);
      for (const value of ['nginx', 'Apache', 'Express', 'cloudflare'])
        expect(
          evaluateChecks(
            [
              observe({
                http: http({ headers: { ...SECURE_HEADERS, server: value, 'x-powered-by': value } }),
              }),
            ],
            context,
          ),
        ).toEqual([]);
      for (const value of ['Apache/2', 'Microsoft-IIS/10.0', 'Jetty(9.4.3.v20170317)', 'Express 4.18.2'])
        expect(
          ids(
            evaluateChecks(
              [observe({ http: http({ headers: { ...SECURE_HEADERS, server: value } }) })],
              context,
            ),
          ),
        ).toEqual(['http.version-disclosure']);
    });
  });

  describe('exposed services', () => {
    it('reports Redis that answers PING, not one that asks for a password', () => {
      const open = observe({
        port: 6379,
        redis: { pingAnswered: true, reply: '+PONG', info: 'redis_version:7.0.15' },
      });
      const finding = only(evaluateChecks([open], context), 'redis.unauthenticated');
      expect(finding).toMatchObject({ severity: 'critical', cwe: 'CWE-306', port: 6379 });
      expect(finding.evidence).toMatchObject({ reply: '+PONG', info: 'redis_version:7.0.15' });
      const locked = observe({
        port: 6379,
        redis: { pingAnswered: false, reply: '-NOAUTH Authentication required.' },
      });
      expect(evaluateChecks([locked], context)).toEqual([]);
    });

    it('reports an exposed Docker API, and not its 404 page as a web page', () => {
      const docker = observe({
        port: 2375,
        http: http({
          scheme: 'http',
          status: 404,
          headers: { 'api-version': '1.41', server: 'Docker/20.10.24 (linux)' },
        }),
        dockerApi: { exposed: true, version: '20.10.24', apiVersion: '1.41' },
      });
      const findings = evaluateChecks([docker], context);
      expect(ids(findings)).toEqual(['docker.api-exposed', 'http.version-disclosure']);
      expect(only(findings, 'docker.api-exposed').evidence).toMatchObject({
        version: '20.10.24',
        apiVersion: '1.41',
      });
      expect(evaluateChecks([observe({ port: 2375, dockerApi: { exposed: false } })], context)).toEqual([]);
    });
  });

  describe('plain-text protocols', () => {
    it('reports an FTP greeting on 21, or an FTP-looking one elsewhere, but not SMTP', () => {
      const ftp = observe({ port: 21, banner: '220 ProFTPD 1.3.5 Server ready.' });
      expect(only(evaluateChecks([ftp], context), 'plaintext.ftp').evidence).toMatchObject({
        banner: '220 ProFTPD 1.3.5 Server ready.',
      });
      expect(ids(evaluateChecks([observe({ port: 2121, banner: '220 (vsFTPd 3.0.3)' })], context))).toEqual([
        'plaintext.ftp',
      ]);
      expect(ids(evaluateChecks([observe({ port: 21, banner: '220-Welcome\n220 ready' })], context))).toEqual(
        ['plaintext.ftp'],
      );
      expect(
        evaluateChecks([observe({ port: 25, banner: '220 mail.example.com ESMTP Postfix' })], context),
      ).toEqual([]);
      expect(evaluateChecks([observe({ port: 22, banner: 'SSH-2.0-OpenSSH_9.2p1' })], context)).toEqual([]);
    });

    it('reports Telnet negotiation (IAC) on any port, and a login prompt on 23', () => {
      const iac = observe({
        port: 2323,
        banner: '\\xff\\xfd\\x18\\xff\\xfd\\x20',
        bannerHex: 'fffd18fffd20',
      });
      expect(ids(evaluateChecks([iac], context))).toEqual(['plaintext.telnet']);
      expect(
        ids(evaluateChecks([observe({ port: 23, banner: 'router login:', bannerHex: '' })], context)),
      ).toEqual(['plaintext.telnet']);
      // 0xff inside other data, not at a byte boundary, is not IAC.
      expect(evaluateChecks([observe({ port: 2323, banner: 'x', bannerHex: '0ffd' })], context)).toEqual([]);
      expect(
        evaluateChecks([observe({ port: 8080, banner: 'hello', bannerHex: '68656c6c6f' })], context),
      ).toEqual([]);
    });
  });

  describe('fingerprints', () => {
    const expiring = (overrides: Partial<TlsObservation> = {}): ServiceObservation =>
      observe({
        tls: tls({
          selfSigned: true,
          validTo: new Date(NOW.getTime() + 3 * DAY).toISOString(),
          ...overrides,
        }),
      });

    it('are stable: same inputs, same fingerprints; a later scan of the same certificate too', () => {
      const first = evaluateChecks([expiring()], context);
      expect(evaluateChecks([expiring()], context)).toEqual(first);
      const dayLater = evaluateChecks([expiring()], { ...context, now: new Date(NOW.getTime() + DAY) });
      expect(dayLater.map((finding) => finding.fingerprint)).toEqual(
        first.map((finding) => finding.fingerprint),
      );
      expect(dayLater.map((finding) => finding.evidence)).not.toEqual(
        first.map((finding) => finding.evidence),
      );
      for (const finding of first) expect(finding.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    });

    it('change with the certificate, the host name and the port, but not the address', () => {
      const base = evaluateChecks([expiring()], context).map((finding) => finding.fingerprint);
      const renewed = evaluateChecks([expiring({ fingerprint256: 'DD:EE:FF' })], context).map(
        (f) => f.fingerprint,
      );
      const otherHost = evaluateChecks([expiring()], { ...context, hostname: 'api.example.com' }).map(
        (f) => f.fingerprint,
      );
      const otherPort = evaluateChecks([{ ...expiring(), port: 8443 }], context).map((f) => f.fingerprint);
      const otherAddress = evaluateChecks([{ ...expiring(), address: '192.0.2.11' }], context).map(
        (f) => f.fingerprint,
      );
      for (const changed of [renewed, otherHost, otherPort])
        for (const fp of changed) expect(base).not.toContain(fp);
      expect(otherAddress).toEqual(base);
    });

    it('treat host names case-insensitively and identity keys in any order', () => {
      const a = findingFingerprint({
        checkId: 'http.version-disclosure',
        hostname: 'App.Example.com',
        port: 80,
        identity: { a: 1, b: 'x' },
      });
      const b = findingFingerprint({
        checkId: 'http.version-disclosure',
        hostname: 'app.example.com',
        port: 80,
        identity: { b: 'x', a: 1 },
      });
      expect(a).toBe(b);
    });

    it('deduplicate one issue seen on two addresses of the same host', () => {
      const findings = evaluateChecks([expiring(), { ...expiring(), address: '2001:db8::10' }], context);
      expect(ids(findings)).toEqual(['tls.certificate-expiring', 'tls.certificate-self-signed']);
    });
  });

  it('gives every finding its catalog severity, CWE, title and remediation, and orders them', () => {
    const everything = [
      observe({ port: 23, banner: '\\xff\\xfb\\x01', bannerHex: 'fffb01' }),
      observe({ port: 21, banner: '220 FTP ready' }),
      observe({
        port: 443,
        tls: tls({
          selfSigned: true,
          hostnameMatches: false,
          legacyTlsAccepted: true,
          validTo: '2020-01-02T00:00:00.000Z',
        }),
        http: http({ headers: { server: 'nginx/1.18.0', 'x-powered-by': 'PHP/7.4' } }),
      }),
      observe({ port: 80, http: http({ scheme: 'http', headers: {} }) }),
      observe({ port: 6379, redis: { pingAnswered: true, reply: '+PONG' } }),
      observe({ port: 2375, dockerApi: { exposed: true } }),
    ];
    const findings = evaluateChecks(everything, context);
    expect(new Set(findings.map((finding) => finding.checkId))).toEqual(
      new Set(Object.keys(CHECKS).filter((id) => id !== 'tls.certificate-expiring')),
    );
    for (const finding of findings) {
      const check = CHECKS[finding.checkId];
      expect(finding).toMatchObject({
        title: check.title,
        severity: check.severity,
        cwe: check.cwe,
        remediation: check.remediation,
      });
      expect(finding.description.length).toBeGreaterThan(20);
    }
    expect(findings.map((finding) => finding.port)).toEqual(
      [...findings.map((finding) => finding.port)].sort((a, b) => a - b),
    );
    expect(findings.filter((finding) => finding.port === 443)[0]?.severity).toBe('high');
    expect(new Set(findings.map((finding) => finding.fingerprint)).size).toBe(findings.length);
  });
});
