export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** A check's fixed description: the same on every finding it produces. */
export interface CheckTraits {
  title: string;
  /** What the check looks for, for API listings and docs. */
  summary: string;
  severity: Severity;
  cwe: `CWE-${number}`;
  remediation: string;
}

export interface CheckDefinition extends CheckTraits {
  id: CheckId;
}

const catalog = {
  'tls.certificate-expired': {
    title: 'TLS certificate expired',
    summary: 'The certificate presented is past its notAfter date.',
    severity: 'high',
    cwe: 'CWE-298',
    remediation:
      'Renew the certificate and deploy it to every endpoint serving this name; automate renewal (e.g. ACME) and alert well before expiry.',
  },
  'tls.certificate-expiring': {
    title: 'TLS certificate expiring soon',
    summary: 'The certificate expires within the configured number of days.',
    severity: 'medium',
    cwe: 'CWE-298',
    remediation:
      'Renew the certificate before it expires, and automate renewal so it happens without a person.',
  },
  'tls.certificate-self-signed': {
    title: 'Self-signed TLS certificate',
    summary: 'The certificate is issued by itself, so clients cannot verify who they are talking to.',
    severity: 'medium',
    cwe: 'CWE-295',
    remediation:
      'Replace it with a certificate issued by a publicly trusted CA (or, for internal services, by your internal CA that clients trust).',
  },
  'tls.certificate-hostname-mismatch': {
    title: 'TLS certificate does not match the host name',
    summary: 'Neither the subject alternative names nor the common name cover the host name scanned.',
    severity: 'medium',
    cwe: 'CWE-297',
    remediation:
      'Issue a certificate whose subject alternative names include this host name, and serve it for this name (SNI).',
  },
  'tls.legacy-protocol-accepted': {
    title: 'TLS 1.0/1.1 accepted',
    summary: 'The server completes handshakes limited to TLS 1.0 or TLS 1.1, deprecated by RFC 8996.',
    severity: 'medium',
    cwe: 'CWE-326',
    remediation:
      'Set the minimum protocol version to TLS 1.2 (prefer TLS 1.3) and remove legacy cipher suites.',
  },
  'http.no-https-redirect': {
    title: 'HTTP served without redirect to HTTPS',
    summary: 'A plain-HTTP request is answered without redirecting to an https: URL.',
    severity: 'medium',
    cwe: 'CWE-319',
    remediation:
      'Answer every plain-HTTP request with a 301/308 redirect to the https: URL, and serve content only over HTTPS.',
  },
  'http.hsts-missing': {
    title: 'HSTS header missing',
    summary: 'An HTTPS response has no Strict-Transport-Security header with a positive max-age.',
    severity: 'low',
    cwe: 'CWE-523',
    remediation: 'Send "Strict-Transport-Security: max-age=31536000; includeSubDomains" on HTTPS responses.',
  },
  'http.csp-missing': {
    title: 'Content-Security-Policy header missing',
    summary: 'The response carries no Content-Security-Policy header.',
    severity: 'low',
    cwe: 'CWE-693',
    remediation:
      'Define a Content-Security-Policy that restricts script, style and frame sources (start from "default-src \'self\'").',
  },
  'http.content-type-options-missing': {
    title: 'X-Content-Type-Options header missing',
    summary: 'The response does not carry "X-Content-Type-Options: nosniff".',
    severity: 'low',
    cwe: 'CWE-693',
    remediation: 'Send "X-Content-Type-Options: nosniff" on every response.',
  },
  'http.frame-protection-missing': {
    title: 'Clickjacking protection missing',
    summary: 'Neither X-Frame-Options nor a CSP frame-ancestors directive restricts framing.',
    severity: 'low',
    cwe: 'CWE-1021',
    remediation:
      'Send "Content-Security-Policy: frame-ancestors \'self\'" (or "X-Frame-Options: DENY" for old browsers).',
  },
  'http.version-disclosure': {
    title: 'Software version disclosed in HTTP headers',
    summary: 'The Server or X-Powered-By header names a software version.',
    severity: 'low',
    cwe: 'CWE-200',
    remediation:
      'Remove version numbers from Server and X-Powered-By (e.g. nginx "server_tokens off", PHP "expose_php = Off", Express "app.disable(\'x-powered-by\')").',
  },
  'redis.unauthenticated': {
    title: 'Redis accessible without authentication',
    summary: 'Redis answers PING without a password: anyone who can reach it can read and change data.',
    severity: 'critical',
    cwe: 'CWE-306',
    remediation:
      'Require authentication (ACL users or requirepass), bind Redis to private interfaces only, and firewall the port from the internet.',
  },
  'docker.api-exposed': {
    title: 'Docker Engine API exposed',
    summary:
      'The Docker API answers over plain HTTP without authentication: reaching it means root on the host.',
    severity: 'critical',
    cwe: 'CWE-306',
    remediation:
      'Stop exposing the daemon on TCP (use the Unix socket), or require mutual TLS (--tlsverify) and restrict the port to trusted networks.',
  },
  'plaintext.ftp': {
    title: 'FTP (plain-text protocol) exposed',
    summary: 'An FTP server greets on this port; FTP sends credentials and data unencrypted.',
    severity: 'high',
    cwe: 'CWE-319',
    remediation: 'Replace FTP with SFTP or FTPS with TLS required, or close the port.',
  },
  'plaintext.telnet': {
    title: 'Telnet (plain-text protocol) exposed',
    summary: 'A Telnet service negotiates on this port; Telnet sends credentials and sessions unencrypted.',
    severity: 'high',
    cwe: 'CWE-319',
    remediation: 'Disable Telnet and use SSH instead, or close the port.',
  },
} as const satisfies Record<string, CheckTraits>;

export type CheckId = keyof typeof catalog;

/** Every check XORB runs, by id: for the API and docs to list, and for findings to cite. */
export const CHECKS: Readonly<Record<CheckId, Readonly<CheckDefinition>>> = Object.freeze(
  Object.fromEntries(
    (Object.keys(catalog) as CheckId[]).map((id): [CheckId, CheckDefinition] => [
      id,
      Object.freeze({ id, ...catalog[id] }),
    ]),
  ) as Record<CheckId, CheckDefinition>,
);
