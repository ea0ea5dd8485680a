import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Result } from 'autocannon';

/**
 * Polls `url` every `intervalMs` until it answers `status`; resolves with the
 * milliseconds since `origin` (performance.now()). Bounded by `timeoutMs`.
 */
export async function timeToStatus(
  url: string,
  origin: number,
  { status = 200, timeoutMs = 60_000, intervalMs = 20 } = {},
): Promise<number> {
  const deadline = origin + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === status) return performance.now() - origin;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(intervalMs);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** One bounded autocannon run (duration in seconds, loopback only). */
export async function load(
  url: string,
  options: { connections: number; durationSeconds: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url))
    throw new Error(`the bench only loads loopback URLs, not ${url}`);
  const result: Result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 10,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

export function describeLoad(result: LoadResult): string {
  const rps = Math.round(result.requestsPerSecond).toLocaleString('en-US');
  const problems = result.non2xx + result.errors + result.timeouts;
  return `${rps} req/s · p50 ${result.p50} ms · p99 ${result.p99} ms${problems ? ` · ${problems} failed` : ''}`;
}
