import { isIP } from 'node:net';
import { printable, readBanner } from './banner-read';
import { type Bounds } from './bounded-connection';
import { looksLikeDockerApi, probeDockerApi } from './docker-api-probe';
import { inspectHttp, type HttpInspection } from './http-inspection';
import { attemptProbe } from './probe-attempt';
import { looksLikeRedisReply, probeRedis } from './redis-probe';
import { type ServiceObservation } from './service-observation';
import { inspectTls } from './tls-inspection';

/** Protocol probes that send something beyond TLS and HTTP GET /, run only where they apply. */
export type ServiceProbe = 'redis' | 'docker';

export interface FingerprintOptions {
  /** The IP address to connect to: fingerprinting never resolves or follows names. */
  address: string;
  port: number;
  /** The target's name: SNI (unless an IP), Host header, and the name certificates must match. */
  hostname: string;
  /** Bound for each connection (the handshake or request and its answer). */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Which protocol probes to run. Default: by well-known port (6379 → redis;
   * 2375, 2376 → docker) plus what the service's behaviour suggests (Redis: a RESP
   * reply, or a silent non-TLS service that hangs up on GET without a byte; Docker:
   * its Api-Version or Server header). When given, exactly these run.
   */
  probes?: readonly ServiceProbe[];
  /** How long to listen for a volunteered banner. Default min(timeoutMs / 2, 1000). */
  bannerWaitMs?: number;
}

const PORT_PROBES: Readonly<Record<number, readonly ServiceProbe[]>> = {
  6379: ['redis'],
  2375: ['docker'],
  2376: ['docker'],
};

/**
 * Describes the service on one open port:
 * 1. a TLS handshake (certificate, protocol, TLS ≤ 1.1 acceptance), then HTTP over TLS;
 * 2. otherwise a banner, if the server speaks first;
 * 3. otherwise a plain HTTP `GET /`;
 * 4. then the Redis and Docker API probes that apply.
 * Each step is its own connection, bounded by `timeoutMs` and the signal; a step
 * that fails leaves its field absent. An abort rejects with the signal's reason.
 */
export async function fingerprintService(options: FingerprintOptions): Promise<ServiceObservation> {
  const { address, port, hostname, signal } = options;
  if (isIP(address) === 0) throw new RangeError(`address must be an IP address, got "${address}"`);
  signal?.throwIfAborted();
  const bounds: Bounds = { timeoutMs: options.timeoutMs, signal };
  const endpoint = { address, port };
  const observation: ServiceObservation = { address, port, hostname };
  const hinted = new Set<ServiceProbe>();

  const tls = await inspectTls({ ...endpoint, hostname }, bounds);
  let http: HttpInspection | undefined;
  if (tls) {
    observation.tls = tls;
    http = await attemptProbe(() => inspectHttp({ ...endpoint, hostname, scheme: 'https' }, bounds), bounds);
  } else {
    const waitMs = options.bannerWaitMs ?? Math.min(options.timeoutMs / 2, 1000);
    const banner = await attemptProbe(() => readBanner(endpoint, waitMs, bounds), bounds);
    if (banner) {
      observation.banner = printable(banner);
      observation.bannerHex = banner.toString('hex');
      if (looksLikeRedisReply(banner)) hinted.add('redis');
    } else {
      http = await attemptProbe(() => inspectHttp({ ...endpoint, hostname, scheme: 'http' }, bounds), bounds);
    }
  }
  if (http?.kind === 'http') observation.http = http.observation;
  if (http) for (const probe of hintsFromHttp(http)) hinted.add(probe);

  // Both probes speak plain text: a TLS port is neither an open Redis nor a plain-HTTP Docker API.
  const probes = new Set(options.probes ?? [...(PORT_PROBES[port] ?? []), ...hinted]);
  if (probes.has('redis') && !tls) {
    const redis = await attemptProbe(() => probeRedis(endpoint, bounds), bounds);
    if (redis) observation.redis = redis;
  }
  if (probes.has('docker') && !tls) {
    const dockerApi = await attemptProbe(() => probeDockerApi({ ...endpoint, hostname }, bounds), bounds);
    observation.dockerApi = dockerApi ?? { exposed: false };
  }
  return observation;
}

/**
 * What the answer to `GET /` suggests: the Docker daemon's own headers; or,
 * for Redis, a RESP error, or hanging up without a byte (Redis drops clients
 * that send "Host:" lines, against cross-protocol scripting).
 */
function hintsFromHttp(http: HttpInspection): ServiceProbe[] {
  if (http.kind === 'http')
    return http.observation.scheme === 'http' && looksLikeDockerApi(http.observation.headers)
      ? ['docker']
      : [];
  return http.reply.length === 0 || looksLikeRedisReply(http.reply) ? ['redis'] : [];
}
