import { describe, expect, it } from 'vitest';
import { embeddedIPv4 } from './embedded-ipv4';
import { isMetadataEndpoint, specialAddressKind } from './special-addresses';

describe('embeddedIPv4', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['::a9fe:a9fe', '169.254.169.254'],
    ['::10.0.0.1', '10.0.0.1'],
    ['64:ff9b::c0a8:101', '192.168.1.1'],
    ['2002:a00:1::5', '10.0.0.1'],
    ['0:0:0:0:0:ffff:0a00:0001', '10.0.0.1'],
  ])('finds %s → %s', (ipv6, ipv4) => {
    expect(embeddedIPv4(ipv6)).toBe(ipv4);
  });

  it.each(['::', '::1', '2001:db8::1', 'fe80::1%eth0', '127.0.0.1', 'example.com'])(
    'finds none in %s',
    (value) => {
      expect(embeddedIPv4(value)).toBeUndefined();
    },
  );
});

describe('specialAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['255.255.255.255', 'broadcast'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['fe80::1%eth0', 'link-local'],
    ['::ffff:192.168.0.1', 'private (IPv4 embedded in IPv6)'],
    ['2002:7f00:1::', 'loopback (IPv4 embedded in IPv6)'],
  ])('names %s %s', (address, kind) => {
    expect(specialAddressKind(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2002:808:808::',
  ])('leaves the public address %s alone', (address) => {
    expect(specialAddressKind(address)).toBeUndefined();
  });
});

describe('isMetadataEndpoint', () => {
  it.each([
    '169.254.169.254',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    'fd00:ec2::254',
    '169.254.170.2',
    'metadata.google.internal',
    'METADATA.Google.Internal.',
  ])('knows %s', (value) => {
    expect(isMetadataEndpoint(value)).toBe(true);
  });

  it.each(['169.254.169.253', 'example.com', 'google.internal'])('does not flag %s', (value) => {
    expect(isMetadataEndpoint(value)).toBe(false);
  });
});
