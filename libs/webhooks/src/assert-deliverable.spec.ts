import { lookup } from 'node:dns/promises';
import { AddressList } from '@xorb/scan-policy';
import { describe, expect, it } from 'vitest';
import { assertDeliverable, type DeliverableOptions } from './assert-deliverable';
import { UndeliverableUrlError } from './undeliverable-url-error';

// Only IP literals, and `localhost` through the system resolver: nothing here sends traffic.
const production: DeliverableOptions = { allowPrivate: false, allowlist: [] };
const development: DeliverableOptions = { allowPrivate: true, allowlist: [] };

async function refusal(url: string, options: DeliverableOptions): Promise<UndeliverableUrlError> {
  const error = await assertDeliverable(url, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UndeliverableUrlError);
  return error as UndeliverableUrlError;
}

describe('assertDeliverable', () => {
  it.each([
    ['http://127.0.0.1/hook', 'loopback'],
    ['http://127.255.0.9/hook', 'loopback'],
    ['http://[::1]/hook', 'loopback'],
    ['http://10.0.0.1/hook', 'private'],
    ['http://172.16.0.1/hook', 'private'],
    ['http://172.31.255.254/hook', 'private'],
    ['http://192.168.1.10/hook', 'private'],
    ['http://[fc00::1]/hook', 'private (unique local)'],
    ['http://[fd12:3456:789a::1]/hook', 'private (unique local)'],
    ['http://169.254.10.20/hook', 'link-local'],
    ['http://[fe80::1]/hook', 'link-local'],
    ['http://100.64.0.1/hook', 'carrier-grade NAT'],
    ['http://100.127.255.254/hook', 'carrier-grade NAT'],
    ['http://224.0.0.1/hook', 'multicast'],
    ['http://239.255.255.250/hook', 'multicast'],
    ['http://[ff02::1]/hook', 'multicast'],
    ['http://255.255.255.255/hook', 'broadcast'],
    ['http://0.0.0.0/hook', 'unspecified'],
    ['http://0.1.2.3/hook', 'unspecified'],
    ['http://[::]/hook', 'unspecified'],
    ['http://240.0.0.1/hook', 'reserved'],
    ['http://198.18.0.1/hook', 'benchmarking'],
    ['http://[::ffff:127.0.0.1]/hook', 'loopback (IPv4 embedded in IPv6)'],
    ['http://[::ffff:10.1.2.3]/hook', 'private (IPv4 embedded in IPv6)'],
    ['http://[::ffff:192.168.0.1]/hook', 'private (IPv4 embedded in IPv6)'],
    ['http://[::ffff:169.254.1.1]/hook', 'link-local (IPv4 embedded in IPv6)'],
    ['http://[::ffff:100.64.0.1]/hook', 'carrier-grade NAT (IPv4 embedded in IPv6)'],
    ['http://[::ffff:0.0.0.0]/hook', 'unspecified (IPv4 embedded in IPv6)'],
    ['http://[::127.0.0.1]/hook', 'loopback (IPv4 embedded in IPv6)'],
    ['http://[64:ff9b::7f00:1]/hook', 'loopback (IPv4 embedded in IPv6)'],
    ['http://[2002:c0a8:101::1]/hook', 'private (IPv4 embedded in IPv6)'],
    // The WHATWG parser turns these spellings into 127.0.0.1 before we look.
    ['http://2130706433/hook', 'loopback'],
    ['http://0x7f.1/hook', 'loopback'],
    ['http://0177.0.0.1/hook', 'loopback'],
  ])('refuses %s (%s) in production', async (url, kind) => {
    const error = await refusal(url, production);
    expect(error.reason).toBe('blocked-address');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`is not a public address (${kind})`);
  });

  it('allows the same addresses with allowPrivate (development and test)', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://10.0.0.1/',
      'http://[::ffff:192.168.0.1]/',
      'http://[fe80::1]/',
    ]) {
      await expect(assertDeliverable(url, development)).resolves.toMatchObject({ url: new URL(url) });
    }
  });

  it.each([
    ['https://93.184.215.14/hook', '93.184.215.14', 4],
    ['https://172.32.0.1/hook', '172.32.0.1', 4],
    ['https://100.128.0.1/hook', '100.128.0.1', 4],
    ['https://[2606:4700:4700::1111]/hook', '2606:4700:4700::1111', 6],
    ['https://[::ffff:8.8.8.8]/hook', '::ffff:808:808', 6],
  ])('passes the public address %s, returning it to pin', async (url, address, family) => {
    await expect(assertDeliverable(url, production)).resolves.toEqual({
      url: new URL(url),
      hostname: address,
      address,
      family,
    });
  });

  it('resolves a host name and refuses one that resolves to loopback', async () => {
    const error = await refusal('http://localhost:4000/hook', production);
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address \(loopback\)$/,
    );
  });

  it('returns the resolved address of a permitted host name', async () => {
    const target = await assertDeliverable('http://localhost:4000/hook', development);
    expect(['127.0.0.1', '::1']).toContain(target.address);
    expect(target.hostname).toBe('localhost');
    expect(target.family).toBe(target.address === '::1' ? 6 : 4);
  });

  it('uses the resolver it is given', async () => {
    const asked: string[] = [];
    const resolver = (hostname: string) => {
      asked.push(hostname);
      return lookup(hostname, { all: true });
    };
    await expect(
      assertDeliverable('http://LocalHost/x', { ...development, resolver }),
    ).resolves.toBeDefined();
    expect(asked).toEqual(['localhost']);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', development],
    ['http://[fd00:ec2::254]/latest/meta-data/', development],
    ['http://[::ffff:169.254.169.254]/', development],
    ['http://[::ffff:a9fe:a9fe]/', development],
    ['http://169.254.170.2/v2/credentials', development],
    ['http://metadata.google.internal/computeMetadata/v1/', development],
    ['http://METADATA.google.internal./computeMetadata/v1/', development],
    ['http://169.254.169.254/', { allowPrivate: true, allowlist: ['169.254.0.0/16', '0.0.0.0/0'] }],
    ['http://metadata.google.internal/', { allowPrivate: true, allowlist: ['metadata.google.internal'] }],
  ])('refuses the metadata endpoint %s always', async (url, options) => {
    const error = await refusal(url, options);
    expect(error.reason).toBe('metadata');
  });

  it('lets the allowlist permit a private range, and only that range', async () => {
    const allowlist = ['10.20.0.0/16', 'fd00:1234::/32'];
    await expect(
      assertDeliverable('http://10.20.3.4:8080/hook', { allowPrivate: false, allowlist }),
    ).resolves.toMatchObject({
      address: '10.20.3.4',
    });
    await expect(
      assertDeliverable('http://[fd00:1234::9]/hook', { allowPrivate: false, allowlist }),
    ).resolves.toMatchObject({
      address: 'fd00:1234::9',
    });
    await expect(
      assertDeliverable('http://[::ffff:10.20.3.4]/', { allowPrivate: false, allowlist }),
    ).resolves.toBeDefined();
    expect((await refusal('http://10.21.0.1/hook', { allowPrivate: false, allowlist })).reason).toBe(
      'blocked-address',
    );
    expect((await refusal('http://127.0.0.1/hook', { allowPrivate: false, allowlist })).reason).toBe(
      'blocked-address',
    );
  });

  it('takes an AddressList, and host names in the allowlist', async () => {
    const list = new AddressList(['127.0.0.0/8']);
    await expect(
      assertDeliverable('http://127.0.0.1/', { allowPrivate: false, allowlist: list }),
    ).resolves.toBeDefined();
    await expect(
      assertDeliverable('http://localhost/', { allowPrivate: false, allowlist: ['localhost'] }),
    ).resolves.toBeDefined();
  });

  it.each([
    ['ftp://example.com/hook', 'unsupported-scheme'],
    ['file:///etc/passwd', 'unsupported-scheme'],
    ['gopher://127.0.0.1:6379/_FLUSHALL', 'unsupported-scheme'],
    ['javascript:alert(1)', 'unsupported-scheme'],
    ['http://user:pass@example.com/hook', 'credentials'],
    ['https://token@example.com/hook', 'credentials'],
    ['not a url', 'invalid-url'],
    ['http://', 'invalid-url'],
  ])('refuses %s (%s) before resolving anything', async (url, reason) => {
    const error = await refusal(url, {
      ...development,
      resolver: () => {
        throw new Error('must not resolve');
      },
    });
    expect(error.reason).toBe(reason);
  });

  it('never echoes the path, query or credentials', async () => {
    for (const url of [
      'http://127.0.0.1/hook?token=sekrit',
      'http://user:sekrit@example.com/',
      'ftp://example.com/sekrit',
    ]) {
      const error = await refusal(url, production);
      expect(error.message).not.toContain('sekrit');
    }
  });
});
