import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget, TargetResolutionError } from '../src/target-resolution';
import { DnsTestServer } from '@xorb/testing';

describe('resolveTarget', () => {
  const dns = new DnsTestServer();
  let dnsServers: string[];

  beforeAll(async () => {
    await dns.start();
    dns
      .set('both.test', { a: ['192.0.2.10', '192.0.2.11'], aaaa: ['2001:db8::10'] })
      .set('v4only.test', { a: ['192.0.2.20'] })
      .set('v6only.test', { aaaa: ['2001:db8::20'] })
      .set('empty.test', {})
      .set('silent.test', 'silent');
    dnsServers = [dns.server];
  });
  afterAll(() => dns.stop());

  it('returns an IP literal as is, without asking DNS', async () => {
    const before = dns.queries.length;
    await expect(resolveTarget('192.0.2.1', { dnsServers, timeoutMs: 1000 })).resolves.toEqual({
      addresses: ['192.0.2.1'],
    });
    await expect(resolveTarget('::1', { dnsServers, timeoutMs: 1000 })).resolves.toEqual({
      addresses: ['::1'],
    });
    await expect(resolveTarget('[2001:db8::1]', { dnsServers, timeoutMs: 1000 })).resolves.toEqual({
      addresses: ['2001:db8::1'],
    });
    expect(dns.queries.length).toBe(before);
  });

  it('resolves A and AAAA records from the configured servers, IPv4 first', async () => {
    await expect(resolveTarget('both.test', { dnsServers, timeoutMs: 2000 })).resolves.toEqual({
      addresses: ['192.0.2.10', '192.0.2.11', '2001:db8::10'],
    });
    await expect(resolveTarget('V4ONLY.test.', { dnsServers, timeoutMs: 2000 })).resolves.toEqual({
      addresses: ['192.0.2.20'],
    });
    await expect(resolveTarget('v6only.test', { dnsServers, timeoutMs: 2000 })).resolves.toEqual({
      addresses: ['2001:db8::20'],
    });
    expect(dns.queries).toEqual(expect.arrayContaining(['both.test/A', 'both.test/AAAA']));
  });

  it('fails non-retryably on NXDOMAIN', async () => {
    const error = await resolveTarget('missing.test', { dnsServers, timeoutMs: 2000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetResolutionError);
    expect(error).toMatchObject({ failure: 'nxdomain', nonRetryable: true, host: 'missing.test' });
  });

  it('fails non-retryably when the name has no addresses', async () => {
    await expect(resolveTarget('empty.test', { dnsServers, timeoutMs: 2000 })).rejects.toMatchObject({
      failure: 'no-addresses',
      nonRetryable: true,
    });
  });

  it('fails retryably when the resolver does not answer in time', async () => {
    const error = await resolveTarget('silent.test', { dnsServers, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TargetResolutionError', failure: 'timeout', nonRetryable: false });
  });

  it('rejects with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      resolveTarget('silent.test', { dnsServers, timeoutMs: 5000, signal: controller.signal }),
    ).rejects.toBe(reason);
  });

  it('falls back to the loopback addresses for localhost when the resolver has nothing', async () => {
    await expect(resolveTarget('localhost', { dnsServers, timeoutMs: 2000 })).resolves.toEqual({
      addresses: ['127.0.0.1', '::1'],
    });
  });

  it('uses the resolver answer for localhost when there is one', async () => {
    const local = await new DnsTestServer().start();
    local.set('localhost', { a: ['127.0.0.1'] });
    try {
      await expect(
        resolveTarget('localhost', { dnsServers: [local.server], timeoutMs: 2000 }),
      ).resolves.toEqual({
        addresses: ['127.0.0.1'],
      });
    } finally {
      await local.stop();
    }
  });

  it('rejects what is not a host name, non-retryably', async () => {
    for (const host of ['', 'bad host', 'a..b', '-x.test', 'x'.repeat(64) + '.test']) {
      await expect(resolveTarget(host, { dnsServers, timeoutMs: 500 })).rejects.toMatchObject({
        failure: 'invalid-host',
        nonRetryable: true,
      });
    }
  });
});
