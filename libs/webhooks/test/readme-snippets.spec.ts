import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../src/index';
import { loadReadmeNodeVerifier, type NodeVerifier, readmeSnippet } from './readme-snippets';

const secret = 'whsec_tF4kF0lW0gk0m3nB6b9v1kq8c2yq3sJ7QH2x3J5vG1E';
const next = 'whsec_Zk3Qb8m2Vd1Rr7Yt9Lp0Xc4Hn6Wj5Sa2Ue8Gf1Io3Kq';
const body = JSON.stringify({
  event: 'finding.created',
  data: { title: 'TLS 1.0 enabled', note: 'naïve ✓' },
});

function fresh(overrides: Partial<Parameters<typeof signPayload>[0]> = {}): Record<string, string> {
  return { ...signPayload({ secret, id: 'd2a3f0e4-1b2c-4d5e-9f80-000000000007', body, ...overrides }) };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

describe('README Node verification snippet', () => {
  let verify: NodeVerifier;
  beforeAll(async () => {
    verify = await loadReadmeNodeVerifier();
  });

  it('accepts a signed delivery, from a Buffer or a string body', () => {
    expect(verify([secret], lowerCase(fresh()), Buffer.from(body))).toBe(true);
    expect(verify([secret], lowerCase(fresh()), body)).toBe(true);
  });

  it('refuses tampering, the wrong secret and stale timestamps', () => {
    const headers = lowerCase(fresh());
    expect(verify([secret], headers, body.replace('TLS 1.0', 'TLS 1.3'))).toBe(false);
    expect(verify([secret], { ...headers, 'xorb-webhook-id': 'other' }, body)).toBe(false);
    expect(verify([next], headers, body)).toBe(false);
    const stale = lowerCase(fresh({ timestamp: Math.floor(Date.now() / 1000) - 301 }));
    expect(verify([secret], stale, body)).toBe(false);
  });

  it('handles a rotation either way', () => {
    expect(verify([secret], lowerCase(fresh({ secret: [secret, next] })), body)).toBe(true);
    expect(verify([next], lowerCase(fresh({ secret: [secret, next] })), body)).toBe(true);
    expect(verify([next, secret], lowerCase(fresh()), body)).toBe(true);
  });
});

const python = pythonAvailable();

describe('README Python verification snippet', () => {
  function runPython(
    cases: { secrets: string[]; headers: Record<string, string>; body: string }[],
  ): boolean[] {
    const harness = `${readmeSnippet('verify-python')}
import json, sys
cases = json.load(sys.stdin)
print(json.dumps([verify_xorb_webhook(c["secrets"], c["headers"], c["body"].encode("utf-8")) for c in cases]))
`;
    const output = execFileSync('python3', ['-c', harness], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    });
    return JSON.parse(output) as boolean[];
  }

  it.skipIf(!python)('agrees with signPayload', () => {
    const headers = fresh();
    const stale = fresh({ timestamp: Math.floor(Date.now() / 1000) - 301 });
    const rotated = fresh({ secret: [next, secret] });
    expect(
      runPython([
        { secrets: [secret], headers, body },
        { secrets: [secret], headers: lowerCase(headers), body },
        { secrets: [secret], headers, body: body.replace('TLS 1.0', 'TLS 1.3') },
        { secrets: [secret], headers: { ...headers, 'Xorb-Webhook-Id': 'other' }, body },
        { secrets: [next], headers, body },
        { secrets: [secret], headers: stale, body },
        { secrets: [secret], headers: rotated, body },
        { secrets: [next], headers: rotated, body },
        { secrets: [next, secret], headers, body },
      ]),
    ).toEqual([true, true, false, false, false, false, true, true, true]);
  });
});

function pythonAvailable(): boolean {
  try {
    execFileSync('python3', ['-c', 'import hmac, hashlib'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
