import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AddressList } from '@xorb/scan-policy';
import { isMetadataEndpoint, specialAddressKind, withoutZone } from './special-addresses';
import { UndeliverableUrlError } from './undeliverable-url-error';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has. Defaults to the system resolver (getaddrinfo). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface DeliverableOptions {
  /** Permit loopback, private, link-local and other non-public addresses (development and test only). */
  allowPrivate: boolean;
  /** CIDRs and host names that may be non-public, e.g. an internal receiver. Never overrides metadata. */
  allowlist: AddressList | readonly string[];
  resolver?: HostResolver;
}

export interface DeliverableTarget {
  url: URL;
  /** The URL's host name (an IPv6 literal without brackets). */
  hostname: string;
  /** The vetted address to connect to: pass it to deliverWebhook as pinnedAddress. */
  address: string;
  family: 4 | 6;
}

const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true });

/**
 * The SSRF guard. Refuses, with an UndeliverableUrlError, a URL that is not http(s), that
 * carries credentials, or whose host resolves to any non-public address (unless
 * allowPrivate is set or the allowlist covers it) or to a cloud metadata endpoint (always).
 * Returns the vetted address so the connection can be pinned to it: the delivery must not
 * resolve the name again, or a rebinding DNS server could swap in another address.
 */
export async function assertDeliverable(
  url: string | URL,
  options: DeliverableOptions,
): Promise<DeliverableTarget> {
  const parsed = parseUrl(url);
  const hostname = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (isMetadataEndpoint(hostname)) {
    throw new UndeliverableUrlError('metadata', `${hostname} is a cloud metadata endpoint`);
  }
  const allowlist =
    options.allowlist instanceof AddressList ? options.allowlist : new AddressList(options.allowlist);
  const nameAllowed = isIP(hostname) === 0 && allowlist.matchesName(hostname);
  const addresses = isIP(hostname)
    ? [{ address: hostname, family: isIP(hostname) }]
    : await resolve(hostname, options);
  if (addresses.length === 0) {
    throw new UndeliverableUrlError('unresolvable', `${hostname} did not resolve to any address`, true);
  }
  for (const { address } of addresses) {
    const bare = withoutZone(address);
    if (isMetadataEndpoint(bare)) {
      throw new UndeliverableUrlError(
        'metadata',
        `${hostname} resolves to ${bare}, a cloud metadata endpoint`,
      );
    }
    if (options.allowPrivate || nameAllowed || allowlist.matchesAddress(bare)) continue;
    const kind = specialAddressKind(bare);
    if (kind !== undefined) {
      throw new UndeliverableUrlError(
        'blocked-address',
        hostname === bare
          ? `${bare} is not a public address (${kind})`
          : `${hostname} resolves to ${bare}, which is not a public address (${kind})`,
      );
    }
  }
  const [first] = addresses as [ResolvedAddress, ...ResolvedAddress[]];
  return { url: parsed, hostname, address: first.address, family: first.family === 6 ? 6 : 4 };
}

function parseUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UndeliverableUrlError('invalid-url', 'the webhook URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UndeliverableUrlError(
      'unsupported-scheme',
      `webhook URLs must use http or https, not ${parsed.protocol}`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UndeliverableUrlError('credentials', 'webhook URLs must not carry credentials');
  }
  return parsed;
}

async function resolve(hostname: string, options: DeliverableOptions): Promise<readonly ResolvedAddress[]> {
  try {
    return await (options.resolver ?? systemResolver)(hostname);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const detail = typeof code === 'string' ? code : 'lookup failed';
    throw new UndeliverableUrlError('unresolvable', `${hostname} could not be resolved (${detail})`, true);
  }
}
