import { CHECKS } from '@xorb/scanner';
import { type ReportFinding, type ReportInput } from '../src/index';

/** A realistic scan report: seven findings across every severity, on one host. */
export function scanReportInput(): ReportInput {
  return {
    tenant: { id: 'ten_01HZX4', slug: 'acme', name: 'Acme Corp' },
    scope: {
      kind: 'scan',
      scan: {
        id: 'scn_7f3a9c',
        profile: 'standard',
        status: 'completed',
        startedAt: '2026-01-15T10:00:00.000Z',
        finishedAt: '2026-01-15T10:04:12.345Z',
        openPorts: [443, 22, 6379, 23, 80],
      },
      target: { id: 'tgt_1', value: 'shop.acme.example', host: 'shop.acme.example' },
    },
    generatedAt: '2026-01-15T10:05:00.000Z',
    // The scanner's own catalog, as the worker passes it: proves the shapes fit.
    checks: CHECKS,
    findings: [
      finding({
        id: 'fnd_05',
        checkId: 'http.hsts-missing',
        title: CHECKS['http.hsts-missing'].title,
        severity: 'low',
        cwe: 'CWE-523',
        remediation: CHECKS['http.hsts-missing'].remediation,
        description: 'https://shop.acme.example/ answers without a Strict-Transport-Security header.',
        evidence: { url: 'https://shop.acme.example/', status: 200, address: '192.0.2.10:443' },
        port: 443,
        fingerprint: 'fp-hsts-443',
      }),
      finding({
        id: 'fnd_01',
        checkId: 'redis.unauthenticated',
        title: CHECKS['redis.unauthenticated'].title,
        severity: 'critical',
        cwe: 'CWE-306',
        remediation: CHECKS['redis.unauthenticated'].remediation,
        description: 'Redis on port 6379 answered PING with +PONG without authentication.',
        evidence: {
          address: '192.0.2.10:6379',
          reply: '+PONG',
          info: { redis_version: '7.2.4', mode: 'standalone' },
        },
        port: 6379,
        fingerprint: 'fp-redis-6379',
      }),
      finding({
        id: 'fnd_03',
        checkId: 'tls.certificate-self-signed',
        title: CHECKS['tls.certificate-self-signed'].title,
        severity: 'medium',
        cwe: 'CWE-295',
        remediation: CHECKS['tls.certificate-self-signed'].remediation,
        description: 'The certificate for shop.acme.example is issued by itself.',
        evidence: {
          subject: 'CN=shop.acme.example',
          issuer: 'CN=shop.acme.example',
          validTo: '2027-01-01T00:00:00.000Z',
          verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        },
        port: 443,
        status: 'acknowledged',
        fingerprint: 'fp-selfsigned-443',
      }),
      finding({
        id: 'fnd_02',
        checkId: 'plaintext.telnet',
        title: CHECKS['plaintext.telnet'].title,
        severity: 'high',
        cwe: 'CWE-319',
        remediation: CHECKS['plaintext.telnet'].remediation,
        description: 'A Telnet service negotiates options on port 23.',
        evidence: { address: '192.0.2.10:23', banner: '', bannerHex: 'fffd18fffd20' },
        port: 23,
        fingerprint: 'fp-telnet-23',
      }),
      finding({
        id: 'fnd_04',
        checkId: 'tls.legacy-protocol-accepted',
        title: CHECKS['tls.legacy-protocol-accepted'].title,
        severity: 'medium',
        cwe: 'CWE-326',
        remediation: CHECKS['tls.legacy-protocol-accepted'].remediation,
        description: 'The server completed a TLSv1.1 handshake.',
        evidence: { address: '192.0.2.10:443', legacyProtocol: 'TLSv1.1', preferredProtocol: 'TLSv1.3' },
        port: 443,
        status: 'resolved',
        fingerprint: 'fp-legacy-443',
      }),
      finding({
        id: 'fnd_06',
        checkId: 'http.version-disclosure',
        title: CHECKS['http.version-disclosure'].title,
        severity: 'low',
        cwe: 'CWE-200',
        remediation: CHECKS['http.version-disclosure'].remediation,
        description: 'The Server header names nginx/1.18.0.',
        evidence: { address: '192.0.2.10:80', header: 'Server', value: 'nginx/1.18.0' },
        port: 80,
        status: 'false_positive',
        fingerprint: 'fp-version-80',
      }),
      finding({
        // A check the catalog does not know (e.g. a newer scanner): SARIF must still get a rule.
        id: 'fnd_07',
        checkId: 'service.ssh-exposed',
        title: 'SSH service exposed',
        severity: 'info',
        cwe: 'CWE-200',
        remediation: 'Restrict SSH to trusted networks or a bastion host.',
        description: 'An SSH server greets on port 22.',
        evidence: { address: '192.0.2.10:22', banner: 'SSH-2.0-OpenSSH_9.6' },
        port: 22,
        fingerprint: 'fp-ssh-22',
      }),
    ],
  };
}

/** A findings-filter report over several targets: an IPv6 address, a URL, and a portless finding. */
export function filtersReportInput(): ReportInput {
  return {
    tenant: { id: 'ten_01HZX4', slug: 'acme', name: 'Acme Corp' },
    scope: { kind: 'filters', filters: { status: 'open', severity: 'high', checkId: 'plaintext.ftp' } },
    generatedAt: '2026-02-01T00:00:00.000Z',
    checks: CHECKS,
    findings: [
      finding({
        id: 'fnd_v6',
        targetId: 'tgt_v6',
        targetValue: '2001:db8::10',
        checkId: 'plaintext.ftp',
        title: CHECKS['plaintext.ftp'].title,
        severity: 'high',
        cwe: 'CWE-319',
        remediation: CHECKS['plaintext.ftp'].remediation,
        description: 'An FTP server greets on port 21.',
        evidence: { address: '[2001:db8::10]:21', banner: '220 (vsFTPd 3.0.5)' },
        port: 21,
        fingerprint: 'fp-ftp-v6',
      }),
      finding({
        id: 'fnd_url',
        targetId: 'tgt_url',
        targetValue: 'https://portal.acme.example/app',
        checkId: 'plaintext.ftp',
        title: CHECKS['plaintext.ftp'].title,
        severity: 'high',
        cwe: 'CWE-319',
        remediation: CHECKS['plaintext.ftp'].remediation,
        description: 'An FTP server greets on port 21.',
        evidence: { address: '198.51.100.7:21', banner: '220 ProFTPD Server' },
        port: 21,
        fingerprint: 'fp-ftp-url',
      }),
      finding({
        id: 'fnd_noport',
        targetId: 'tgt_v6b',
        targetValue: '2001:db8::20',
        checkId: 'plaintext.ftp',
        title: CHECKS['plaintext.ftp'].title,
        severity: 'high',
        cwe: 'CWE-319',
        remediation: CHECKS['plaintext.ftp'].remediation,
        description: 'Recorded without a port.',
        evidence: {},
        port: null,
        fingerprint: 'fp-ftp-noport',
      }),
    ],
  };
}

export function finding(overrides: Partial<ReportFinding> & Pick<ReportFinding, 'id'>): ReportFinding {
  return {
    targetId: 'tgt_1',
    targetValue: 'shop.acme.example',
    checkId: 'http.csp-missing',
    title: 'Content-Security-Policy header missing',
    description: 'The response carries no Content-Security-Policy header.',
    severity: 'low',
    cwe: 'CWE-693',
    remediation: 'Define a Content-Security-Policy.',
    evidence: {},
    port: 443,
    status: 'open',
    fingerprint: `fp-${overrides.id}`,
    firstSeen: '2026-01-10T08:00:00.000Z',
    lastSeen: '2026-01-15T10:04:00.000Z',
    ...overrides,
  };
}

/** The same input with findings in reverse order and every evidence object's keys reversed. */
export function shuffled(input: ReportInput): ReportInput {
  return {
    ...input,
    scope:
      input.scope.kind === 'filters'
        ? { kind: 'filters', filters: Object.fromEntries(Object.entries(input.scope.filters).reverse()) }
        : input.scope,
    findings: [...input.findings]
      .reverse()
      .map((f) => ({ ...f, evidence: reverseKeys(f.evidence) as Record<string, unknown> })),
  };
}

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}
