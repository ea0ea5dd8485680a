import { describe, expect, it } from 'vitest';
import { parseCidr } from '../src/parsing/cidr';
import { parseIpAddress } from '../src/parsing/ip-address';
import { parseBoolean } from '../src/parsing/parse-boolean';
import { byteSizeBetween } from '../src/parsing/parse-byte-size';
import { parseDatabaseUrl } from '../src/parsing/parse-database-url';
import { durationSecondsBetween } from '../src/parsing/parse-duration';
import { hostPort } from '../src/parsing/parse-host-port';
import { parseNetworkTarget, targetReachesLoopback } from '../src/parsing/parse-network-target';
import { parseRedisUrl } from '../src/parsing/parse-redis-url';
import { type ParseResult } from '../src/parsing/parse-result';

function valueOf<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.value;
}

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    [' Yes ', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['NO', false],
  ])('reads %j as %s', (raw, expected) => {
    expect(valueOf(parseBoolean(raw))).toBe(expected);
  });

  it.each(['on', 'off', 'maybe', '2', '', 'y'])('refuses %j', (raw) => {
    expect(parseBoolean(raw).ok).toBe(false);
  });
});

describe('byte sizes (docker-style)', () => {
  const parse = byteSizeBetween(1, 1024 ** 4);
  it.each([
    ['512m', 512 * 1024 ** 2],
    ['512M', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5G', 1.5 * 1024 ** 3],
    ['256k', 256 * 1024],
    ['1mb', 1024 ** 2],
    ['1MiB', 1024 ** 2],
    ['100', 100],
    ['100b', 100],
  ])('reads %j as %d bytes', (raw, bytes) => {
    expect(valueOf(parse(raw))).toBe(bytes);
  });

  it.each(['lots', '12x', '-1m', '1.5', 'm', '', '1 gigabyte'])('refuses %j', (raw) => {
    expect(parse(raw).ok).toBe(false);
  });

  it('enforces the range', () => {
    const result = byteSizeBetween(16 * 1024 ** 2, 1024 ** 3)('8m');
    expect(result).toEqual({ ok: false, reason: 'must be a size from 16m to 1g', namesValue: false });
  });
});

describe('durations in seconds', () => {
  const parse = durationSecondsBetween(1, 90 * 86_400);
  it.each([
    ['60', 60],
    ['60s', 60],
    ['15m', 900],
    ['2H', 7200],
    ['7d', 604_800],
  ])('reads %j as %d s', (raw, seconds) => {
    expect(valueOf(parse(raw))).toBe(seconds);
  });

  it.each(['abc', '0', '-5', '1.5', '10w', ''])('refuses %j', (raw) => {
    expect(parse(raw).ok).toBe(false);
  });
});

describe('host:port addresses', () => {
  const parse = hostPort(7233);
  it.each([
    ['temporal:7233', 'temporal:7233'],
    ['temporal', 'temporal:7233'],
    ['Temporal.Example.COM:443', 'temporal.example.com:443'],
    ['10.0.0.5:7000', '10.0.0.5:7000'],
    ['[::1]:7233', '[::1]:7233'],
    ['[2001:db8::1]', '[2001:db8::1]:7233'],
  ])('reads %j as %j', (raw, address) => {
    expect(valueOf(parse(raw)).address).toBe(address);
  });

  it.each([
    '::::',
    '::1',
    'host:0',
    'host:65536',
    'host:port',
    '[temporal]:7233',
    'bad host:1',
    ':7233',
    '[::1',
  ])('refuses %j', (raw) => {
    expect(parse(raw).ok).toBe(false);
  });
});

describe('IP addresses and CIDR blocks', () => {
  it.each(['127.0.0.1', '::1', '::', 'fe80::1', '::ffff:192.0.2.1', '2001:db8:0:0:0:0:0:1'])(
    'parses %j',
    (raw) => {
      expect(parseIpAddress(raw)).toBeDefined();
    },
  );

  it.each([
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3',
    '::::',
    ':::',
    '1::2::3',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7:8:9',
    'g::1',
  ])('refuses %j', (raw) => {
    expect(parseIpAddress(raw)).toBeUndefined();
  });

  it('refuses bad prefixes and host bits', () => {
    expect(parseCidr('10.0.0.0/33').ok).toBe(false);
    expect(parseCidr('10.0.0.1/8').ok).toBe(false);
    expect(parseCidr('fe80::1/10').ok).toBe(false);
    expect(parseCidr('10.0.0.0/x').ok).toBe(false);
    expect(valueOf(parseCidr('fe80::/10')).prefix).toBe(10);
  });

  it('normalises scan targets', () => {
    expect(valueOf(parseNetworkTarget('10.0.0.7'))).toBe('10.0.0.7/32');
    expect(valueOf(parseNetworkTarget('::1'))).toBe('::1/128');
    expect(valueOf(parseNetworkTarget('Scan.Example.COM.'))).toBe('scan.example.com');
    expect(parseNetworkTarget('999.1.1.1').ok).toBe(false);
    expect(parseNetworkTarget('not a host').ok).toBe(false);
  });

  it('recognises entries reaching loopback', () => {
    expect(targetReachesLoopback('127.0.0.0/8')).toBe(true);
    expect(targetReachesLoopback('127.1.2.3/32')).toBe(true);
    expect(targetReachesLoopback('0.0.0.0/0')).toBe(true);
    expect(targetReachesLoopback('::1/128')).toBe(true);
    expect(targetReachesLoopback('localhost')).toBe(true);
    expect(targetReachesLoopback('10.0.0.0/8')).toBe(false);
    expect(targetReachesLoopback('scan.example.com')).toBe(false);
  });
});

describe('connection URLs', () => {
  it('splits a DATABASE_URL, decoding its parts', () => {
    expect(
      valueOf(parseDatabaseUrl('postgresql://app%40x:p%3Ass@[::1]:6543/xorb_db?sslmode=verify-full')),
    ).toEqual({
      host: '::1',
      port: 6543,
      user: 'app@x',
      password: 'p:ss',
      name: 'xorb_db',
      ssl: 'verify-full',
    });
    expect(valueOf(parseDatabaseUrl('postgres://db.internal'))).toEqual({ host: 'db.internal' });
  });

  it.each([
    'mysql://u:p@h/db',
    'not a url',
    'postgres://u:p@h:99999/db',
    'postgres://u:p@h/db?sslmode=prefer',
    'postgres://u:p@h/db?application_name=x',
    'postgres://u:p@h/a/b',
  ])('refuses DATABASE_URL %j without quoting it', (raw) => {
    const result = parseDatabaseUrl(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toContain(':p@');
  });

  it('strips the password from REDIS_URL', () => {
    expect(valueOf(parseRedisUrl('rediss://default:s3cr%40t@cache:6380/2'))).toEqual({
      urlWithoutPassword: 'rediss://default@cache:6380/2',
      password: 's3cr@t',
    });
    expect(parseRedisUrl('http://cache:6379').ok).toBe(false);
    expect(parseRedisUrl('redis://cache:6379/x').ok).toBe(false);
  });
});
