import { describe, expect, it } from 'vitest';
import { ScanPolicy } from './scan-eligibility';

const denylist = [
  '169.254.0.0/16',
  'fe80::/10',
  '224.0.0.0/4',
  '255.255.255.255/32',
  'metadata.google.internal',
  '10.9.0.0/16',
];

describe('ScanPolicy', () => {
  const loopbackOnly = new ScanPolicy({ allowlist: ['127.0.0.0/8', '::1/128'], denylist });

  it('allows loopback through the allowlist without verification', () => {
    expect(loopbackOnly.evaluate({ host: '127.0.0.1', verified: false })).toEqual({
      allowed: true,
      reason: 'inside SCAN_ALLOWLIST',
    });
    expect(
      loopbackOnly.evaluate({ host: 'localhost', verified: false, addresses: ['127.0.0.1', '::1'] }).allowed,
    ).toBe(true);
  });

  it('requires verification outside the allowlist', () => {
    const verdict = loopbackOnly.evaluate({ host: '192.0.2.1', verified: false });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toContain('verify ownership');
    expect(loopbackOnly.evaluate({ host: '192.0.2.1', verified: true }).allowed).toBe(true);
  });

  it('lets the denylist win over verification and the allowlist', () => {
    const permissive = new ScanPolicy({ allowlist: ['10.0.0.0/8'], denylist });
    expect(permissive.evaluate({ host: '10.9.1.1', verified: true }).allowed).toBe(false);
    expect(permissive.evaluate({ host: '169.254.169.254', verified: true }).allowed).toBe(false);
    expect(permissive.evaluate({ host: 'metadata.google.internal', verified: true }).allowed).toBe(false);
    expect(
      permissive.evaluate({
        host: 'evil.example',
        verified: true,
        addresses: ['192.0.2.1', '169.254.169.254'],
      }).allowed,
    ).toBe(false);
  });

  it('sees through IPv4-mapped IPv6 addresses', () => {
    expect(loopbackOnly.evaluate({ host: '::ffff:169.254.169.254', verified: true }).allowed).toBe(false);
    expect(loopbackOnly.isDenied('::ffff:224.0.0.1')).toBe(true);
    expect(loopbackOnly.isDenied('fe80::1')).toBe(true);
    expect(loopbackOnly.isDenied('192.0.2.1')).toBe(false);
  });

  it('needs every resolved address inside the allowlist', () => {
    expect(
      loopbackOnly.evaluate({ host: 'mixed.example', verified: false, addresses: ['127.0.0.1', '192.0.2.1'] })
        .allowed,
    ).toBe(false);
  });
});
