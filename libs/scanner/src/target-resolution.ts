import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ResolveTargetOptions {
  /** Resolvers to ask ("1.1.1.1", "127.0.0.1:5353", "[::1]:53"); the system's when absent. */
  dnsServers?: string[];
  /** Bound for the whole resolution. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ResolvedTarget {
  /** IPv4 addresses first, then IPv6, without duplicates. */
  addresses: string[];
}

export type TargetResolutionFailure =
  'invalid-host' | 'nxdomain' | 'no-addresses' | 'timeout' | 'resolver-error';

/**
 * Resolution failed. `nonRetryable` is true when asking again cannot help (the
 * name does not exist, or has no addresses): Temporal activities should turn it
 * into a non-retryable ApplicationFailure.
 */
export class TargetResolutionError extends Error {
  override readonly name = 'TargetResolutionError';
  readonly nonRetryable: boolean;

  constructor(
    readonly host: string,
    readonly failure: TargetResolutionFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.nonRetryable = failure === 'invalid-host' || failure === 'nxdomain' || failure === 'no-addresses';
  }
}

const LOOPBACK = ['127.0.0.1', '::1'];
const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9_-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9_-]{1,63}(?<!-))*$/;

/**
 * Resolves a target to the addresses to probe. An IP literal resolves to
 * itself. A name is resolved (A and AAAA) with node:dns's Resolver, against
 * `dnsServers` when given. "localhost" falls back to the loopback addresses
 * when the resolver has nothing for it.
 */
export async function resolveTarget(host: string, options: ResolveTargetOptions): Promise<ResolvedTarget> {
  options.signal?.throwIfAborted();
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(literal) !== 0) return { addresses: [literal] };

  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (!HOSTNAME.test(name))
    throw new TargetResolutionError(host, 'invalid-host', `"${host}" is not a host name`);

  try {
    return { addresses: await queryAddresses(name, options) };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (name === 'localhost') return { addresses: [...LOOPBACK] };
    throw error;
  }
}

async function queryAddresses(
  name: string,
  { dnsServers, timeoutMs, signal }: ResolveTargetOptions,
): Promise<string[]> {
  const resolver = new Resolver({ timeout: Math.max(1, Math.ceil(timeoutMs)), tries: 1 });
  if (dnsServers && dnsServers.length > 0) resolver.setServers(dnsServers);

  let timedOut = false;
  const cancel = (): void => resolver.cancel();
  const timer = setTimeout(() => {
    timedOut = true;
    resolver.cancel();
  }, timeoutMs);
  signal?.addEventListener('abort', cancel, { once: true });
  let answers: PromiseSettledResult<string[]>[];
  try {
    answers = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
  signal?.throwIfAborted();

  const addresses = [
    ...new Set(answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : []))),
  ];
  if (addresses.length > 0) return addresses;

  const codes = answers.map((answer) =>
    answer.status === 'rejected' ? ((answer.reason as NodeJS.ErrnoException).code ?? 'UNKNOWN') : 'ENODATA',
  );
  const cause = answers.find((answer) => answer.status === 'rejected')?.reason as unknown;
  if (codes.includes('ENOTFOUND'))
    throw new TargetResolutionError(name, 'nxdomain', `${name} does not exist (NXDOMAIN)`, { cause });
  if (codes.every((code) => code === 'ENODATA'))
    throw new TargetResolutionError(name, 'no-addresses', `${name} has no A or AAAA records`, { cause });
  if (timedOut || codes.includes('ETIMEOUT'))
    throw new TargetResolutionError(name, 'timeout', `resolving ${name} took longer than ${timeoutMs} ms`, {
      cause,
    });
  const code = codes.find((candidate) => candidate !== 'ENODATA') ?? 'UNKNOWN';
  throw new TargetResolutionError(name, 'resolver-error', `resolving ${name} failed: ${code}`, { cause });
}
