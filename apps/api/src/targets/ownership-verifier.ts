import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { XorbConfig } from '@xorb/config-manager';
import type { TargetRow } from '@xorb/db';
import { AddressList, ScanPolicy } from '@xorb/scan-policy';

export const WELL_KNOWN_PATH = '/.well-known/xorb-verification.txt';
export const DNS_RECORD_PREFIX = '_xorb-verification';

export type VerificationOutcome = { verified: true } | { verified: false; reason: string };

const TIMEOUT_MS = 5_000;
const MAX_BODY_BYTES = 4096;

/** Where a tenant publishes the token: an HTTP file, or a DNS TXT record. */
export function verificationInstructions(
  target: Pick<TargetRow, 'kind' | 'value' | 'host' | 'verification_token'>,
) {
  return {
    token: target.verification_token,
    http_url: `${httpOrigin(target)}${WELL_KNOWN_PATH}`,
    dns_record: `${DNS_RECORD_PREFIX}.${target.host}`,
    dns_value: `xorb-verification=${target.verification_token}`,
  };
}

function httpOrigin(target: Pick<TargetRow, 'kind' | 'value' | 'host'>): string {
  if (target.kind === 'url') return new URL(target.value).origin;
  return target.kind === 'ipv6' ? `http://[${target.host}]` : `http://${target.host}`;
}

/**
 * Proves a tenant controls a target. Outbound requests go only to addresses the
 * scan policy does not deny; in staging and production, never to loopback or
 * private ranges unless they are in SCAN_ALLOWLIST (no SSRF into our own network).
 */
export class OwnershipVerifier {
  private readonly policy: ScanPolicy;
  private readonly allowlist: AddressList;
  private readonly internal = new AddressList([
    '127.0.0.0/8',
    '::1/128',
    '10.0.0.0/8',
    '172.16.0.0/12',
    '192.168.0.0/16',
    'fc00::/7',
    '0.0.0.0/8',
    '::/128',
  ]);
  private readonly resolver = new Resolver({ timeout: TIMEOUT_MS, tries: 2 });

  constructor(
    private readonly scanning: XorbConfig['scanning'],
    private readonly hardened: boolean,
  ) {
    this.policy = new ScanPolicy(scanning);
    this.allowlist = new AddressList(scanning.allowlist);
    if (scanning.dnsServers.length > 0) this.resolver.setServers(scanning.dnsServers);
  }

  async verify(target: TargetRow, method: 'http' | 'dns'): Promise<VerificationOutcome> {
    try {
      return method === 'dns' ? await this.verifyDns(target) : await this.verifyHttp(target);
    } catch (error) {
      return { verified: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private async verifyDns(target: TargetRow): Promise<VerificationOutcome> {
    if (target.kind === 'ipv4' || target.kind === 'ipv6')
      return {
        verified: false,
        reason: 'DNS verification needs a host name; use the http method for IP targets',
      };
    const name = `${DNS_RECORD_PREFIX}.${target.host}`;
    const records = await this.resolver.resolveTxt(name).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`no TXT record at ${name} (${error.code ?? error.message})`);
    });
    const expected = `xorb-verification=${target.verification_token}`;
    return records.some((chunks) => chunks.join('') === expected)
      ? { verified: true }
      : { verified: false, reason: `the TXT records at ${name} do not contain ${expected}` };
  }

  private async verifyHttp(target: TargetRow): Promise<VerificationOutcome> {
    const url = new URL(`${httpOrigin(target)}${WELL_KNOWN_PATH}`);
    const address = await this.vettedAddress(target.host);
    const body = await fetchPinned(url, address);
    return body.trim().split(/\s+/).includes(target.verification_token)
      ? { verified: true }
      : { verified: false, reason: `${url.href} does not contain the verification token` };
  }

  /** Resolves once and pins the connection to that address, so DNS cannot swap it afterwards. */
  private async vettedAddress(host: string): Promise<string> {
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      const [v4, v6] = await Promise.all([
        this.resolver.resolve4(host).catch(() => []),
        this.resolver.resolve6(host).catch(() => []),
      ]);
      addresses = [...v4, ...v6];
      if (host === 'localhost' && addresses.length === 0) addresses = ['127.0.0.1'];
    }
    if (addresses.length === 0) throw new Error(`${host} does not resolve`);
    const usable = addresses.find(
      (address) =>
        !this.policy.isDenied(address) &&
        !(this.hardened && this.internal.matchesAddress(address) && !this.allowlist.matchesAddress(address)),
    );
    if (!usable)
      throw new Error(
        `${host} resolves only to addresses that may not be contacted (denylist or internal ranges)`,
      );
    return usable;
  }
}

function fetchPinned(url: URL, address: string): Promise<string> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        timeout: TIMEOUT_MS,
        headers: { 'user-agent': 'xorb-verifier/1', accept: 'text/plain' },
        lookup: (_host, options, callback) => {
          const family = isIP(address);
          if ((options as { all?: boolean }).all)
            (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
              { address, family },
            ]);
          else (callback as (e: null, a: string, f: number) => void)(null, address, family);
        },
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(
            new Error(`${url.href} answered HTTP ${response.statusCode ?? '?'} (redirects are not followed)`),
          );
          return;
        }
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > MAX_BODY_BYTES)
            req.destroy(new Error(`${url.href} is larger than ${MAX_BODY_BYTES} bytes`));
        });
        response.on('end', () => resolve(body));
        response.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${url.href} did not answer within ${TIMEOUT_MS / 1000} s`)),
    );
    req.on('error', (error) => reject(new Error(`${url.href}: ${error.message}`)));
    req.end();
  });
}
