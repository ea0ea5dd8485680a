import { describe, expect, it } from 'vitest';
import { normalizeTarget } from './normalize-target';

describe('normalizeTarget', () => {
  it.each([
    ['Example.COM.', 'hostname', 'example.com', 'example.com'],
    ['bücher.example', 'hostname', 'xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['localhost', 'hostname', 'localhost', 'localhost'],
    ['192.0.2.10', 'ipv4', '192.0.2.10', '192.0.2.10'],
    ['2001:DB8:0:0::1', 'ipv6', '2001:db8::1', '2001:db8::1'],
    ['[::1]', 'ipv6', '::1', '::1'],
    ['HTTPS://Example.com:443/', 'url', 'https://example.com', 'example.com'],
    ['http://example.com:8080/app/?q=1#frag', 'url', 'http://example.com:8080/app?q=1', 'example.com'],
    ['http://[2001:db8::1]:8443/x', 'url', 'http://[2001:db8::1]:8443/x', '2001:db8::1'],
  ])('normalises %s', (input, kind, value, host) => {
    const result = normalizeTarget(input);
    expect(result).toEqual({ ok: true, target: expect.objectContaining({ kind, value, host }) });
  });

  it('gives URL targets their port', () => {
    expect(normalizeTarget('https://example.com')).toMatchObject({ target: { port: 443 } });
    expect(normalizeTarget('http://example.com:8080')).toMatchObject({ target: { port: 8080 } });
  });

  it.each([
    ['', 'is empty'],
    ['exa mple.com', 'white space'],
    ['ftp://example.com', 'http or https'],
    ['http://user:pw@example.com', 'credentials'],
    ['-bad-.example', 'not a valid host name'],
    ['256.1.1.1', 'not a valid IPv4'],
    ['a'.repeat(64) + '.example', 'not a valid host name'],
  ])('refuses %j', (input, reason) => {
    const result = normalizeTarget(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
