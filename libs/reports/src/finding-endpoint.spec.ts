import { describe, expect, it } from 'vitest';
import { findingEndpoint } from './finding-endpoint';
import { type ReportFinding, type ReportScope } from './report-input';

const filters: ReportScope = { kind: 'filters', filters: {} };

function at(targetValue: string, port: number | null, targetId = 't1'): ReportFinding {
  return {
    id: 'f',
    targetId,
    targetValue,
    checkId: 'c',
    title: 't',
    description: '',
    severity: 'low',
    cwe: 'CWE-1',
    remediation: '',
    evidence: {},
    port,
    status: 'open',
    fingerprint: 'fp',
    firstSeen: '',
    lastSeen: '',
  };
}

describe('findingEndpoint', () => {
  it.each([
    ['example.com', 443, 'example.com:443', 'tcp://example.com:443'],
    ['192.0.2.1', 22, '192.0.2.1:22', 'tcp://192.0.2.1:22'],
    ['2001:db8::1', 6379, '[2001:db8::1]:6379', 'tcp://[2001:db8::1]:6379'],
    [
      'https://app.example.com/x?y=1',
      8443,
      'app.example.com:8443 (https://app.example.com/x?y=1)',
      'tcp://app.example.com:8443',
    ],
    [
      'http://[2001:db8::2]:8080/',
      8080,
      '[2001:db8::2]:8080 (http://[2001:db8::2]:8080/)',
      'tcp://[2001:db8::2]:8080',
    ],
    ['ex ample', 80, 'ex ample:80', 'tcp://ex%20ample:80'],
  ])('%s port %s', (value, port, label, uri) => {
    expect(findingEndpoint(at(value, port), filters)).toMatchObject({ port, label, uri });
  });

  it.each([
    ['example.com', 'example.com'],
    ['2001:db8::1', '2001%3Adb8%3A%3A1'],
    ['https://app.example.com/x', 'https://app.example.com/x'],
    ['a b/c?d#e', 'a%20b%2Fc%3Fd%23e'],
    ['', '.'],
  ])('without a port, %j is located by its target value', (value, uri) => {
    expect(findingEndpoint(at(value, null), filters)).toMatchObject({ port: null, label: value, uri });
  });

  it("uses the scan target's resolved host for findings on that target", () => {
    const scope: ReportScope = {
      kind: 'scan',
      scan: { id: 's', profile: 'p', status: 'completed', startedAt: null, finishedAt: null, openPorts: [] },
      target: { id: 't1', value: 'https://shop.example.com/app', host: 'shop.example.com' },
    };
    expect(findingEndpoint(at('https://shop.example.com/app', 443), scope).uri).toBe(
      'tcp://shop.example.com:443',
    );
    expect(findingEndpoint(at('other.example.com', 443, 't2'), scope).uri).toBe(
      'tcp://other.example.com:443',
    );
  });
});
